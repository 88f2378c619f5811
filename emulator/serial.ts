/**
 * Runs async tasks one at a time, in arrival order. The control plane runs every state change
 * through one of these, so the checks that guard a change and the change itself are never
 * interleaved with another request's (a replica created while its primary is being deleted, two
 * deletes of one service, a protection change racing a delete).
 */
export class Serial {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => T | Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
