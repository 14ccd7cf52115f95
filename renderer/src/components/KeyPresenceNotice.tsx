// Live word on the key a flow needs: pulled out ("your security key isn't
// plugged in"), plugged in again, or joined by a second key. Follows the
// 'keys.changed' events through the status store.
import { useEffect, useRef, useState } from 'react';
import { useKeys } from '../stores/status-store.ts';
import { ErrorNotice } from './ErrorNotice.tsx';

export function KeyPresenceNotice({ serial }: { readonly serial: number }) {
  const keys = useKeys();
  const present = keys.some((k) => k.serial === serial);
  const others = keys.filter((k) => k.serial !== serial);
  const wasMissing = useRef(!present);
  const [backAgain, setBackAgain] = useState(false);
  useEffect(() => {
    if (!present) wasMissing.current = true;
    else if (wasMissing.current) {
      wasMissing.current = false;
      setBackAgain(true);
    }
  }, [present]);

  return (
    <>
      {present ? null : <ErrorNotice code="NO_KEY" />}
      <div role="status" className="live-status">
        {present && backAgain ? <p className="notice notice-ok">Your security key is plugged in again.</p> : null}
        {present && others.length > 0 ? (
          <p className="notice notice-info">
            Another security key is plugged in too (serial {others.map((k) => k.serial).join(', ')}). The app uses key {serial}; you can unplug the other one.
          </p>
        ) : null}
      </div>
    </>
  );
}
