// An icon from assets/icons/ (Vite bundles the SVG files the stylesheet names).
// Drawn as a CSS mask filled with the text colour, so it follows light and
// dark mode; decorative only: the control around it carries the words.
export type IconName = 'key' | 'phone' | 'edit' | 'trash' | 'check' | 'alert' | 'info' | 'clock' | 'shield';

export function Icon({ name }: { readonly name: IconName }) {
  return <span className={`icon icon-${name}`} aria-hidden="true" />;
}
