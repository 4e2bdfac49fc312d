/**
 * A modal dialog on the browser's own `<dialog>`: `showModal()` puts it in the top layer, makes
 * the page behind it inert, keeps keyboard focus inside and closes on Escape — the accessibility
 * a hand-made overlay would have to re-implement. Escape asks the owner (`onCancel`) rather than
 * closing by itself, so React state stays the one truth about what is open.
 */
import { useEffect, useRef, type ReactNode } from 'react';

export function ModalDialog({ titleId, onCancel, className, children }: { titleId: string; onCancel: () => void; className?: string; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  const cancel = useRef(onCancel);
  useEffect(() => {
    cancel.current = onCancel;
  });
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (!dialog.open) dialog.showModal();
    // showModal() focuses the first control; the owner may name a better one (the search box).
    dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    const onCancelEvent = (e: Event) => {
      e.preventDefault();
      cancel.current();
    };
    dialog.addEventListener('cancel', onCancelEvent);
    return () => {
      dialog.removeEventListener('cancel', onCancelEvent);
      if (dialog.open) dialog.close();
    };
  }, []);
  return (
    <dialog ref={ref} className={`modal${className ? ` ${className}` : ''}`} aria-labelledby={titleId}>
      {children}
    </dialog>
  );
}
