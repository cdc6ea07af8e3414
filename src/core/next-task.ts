/**
 * Resolves in a new task, so the page (or worker) can handle input, paint and messages in between.
 * A message to ourselves, not setTimeout (clamped to 1 s in background tabs) or
 * requestAnimationFrame (never fires there).
 */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
