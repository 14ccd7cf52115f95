// Keeps the tray's model in step with the reminder events: the TrayPresenter
// listens on the app's event hub ('reminder.changed', 'reminder.due') and
// every new model goes out as 'tray.changed', to the Electron tray and to
// each page (the web shell's in-page tray view). 'tray.get' answers `model`.
import type { ReminderView, TrayModel } from '../../ipc/contract.ts';
import type { EventHub } from '../events/event-hub.ts';
import { TrayPresenter } from './tray-presenter.ts';

export interface TrayFeed {
  /** The model now. */
  readonly model: TrayModel;
  /** Stops listening. */
  stop(): void;
}

/** `initial`: the reminder when the app starts (from the pairing record), before any event. */
export function connectTrayFeed(events: EventHub, initial: ReminderView | null): TrayFeed {
  const presenter = new TrayPresenter({ initial: { reminder: initial }, onChanged: (model) => events.emit('tray.changed', model) });
  const unsubscribe = events.subscribe((event) => {
    if (event.name === 'reminder.changed') presenter.setReminder(event.payload);
    else if (event.name === 'reminder.due') presenter.remind(event.payload);
  });
  return {
    get model() {
      return presenter.model;
    },
    stop: unsubscribe,
  };
}
