/** Hands a fetched file to the browser's downloads. */
export function saveFile(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started by then; the object URL is only needed until it does.
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
