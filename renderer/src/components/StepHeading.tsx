// The heading of a screen. It takes the focus when the screen appears, so a
// screen-reader user hears where they are and the next Tab starts from here.
import { type ReactNode, useEffect, useRef } from 'react';

export function StepHeading({ children }: { readonly children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1} className="step-heading">
      {children}
    </h1>
  );
}
