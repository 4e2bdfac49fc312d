/**
 * Saving what the core produced (the CSV, the printable summary) as a file the user keeps: a Blob
 * and a temporary object URL, so nothing leaves the desk and no patient data goes into a URL.
 */
export function downloadText(fileName: string, text: string, mimeType: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // The click has handed the Blob to the download; release it on the next turn.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/**
 * The body of the core's self-contained summary, for printing inside the app: its own <style> is
 * dropped before parsing (the app's CSP allows only its own stylesheet — film.css styles the print —
 * and Chromium reports an inline <style> even in a DOMParser document), and it has no script to
 * begin with. DOMParser documents are inert: nothing in them runs or loads.
 */
export function summaryBody(html: string): string {
  return new DOMParser().parseFromString(html.replace(/<style\b[^>]*>[\s\S]*?<\/style>/gi, ''), 'text/html').body.innerHTML;
}
