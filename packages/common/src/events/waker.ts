// A sleep that another part of the process can cut short (a Redis signal, a local nudge, stop()).

export class Waker {
  #wakeSleeper: (() => void) | null = null;
  #pending = false;

  /** Resolves after `ms`, or as soon as `wake()` is called (also when it was called since the last sleep). */
  sleep(ms: number): Promise<void> {
    if (this.#pending) {
      this.#pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.#wakeSleeper = null;
        resolve();
      };
      const timer = setTimeout(finish, Math.max(0, ms));
      this.#wakeSleeper = finish;
    });
  }

  wake(): void {
    if (this.#wakeSleeper) this.#wakeSleeper();
    else this.#pending = true;
  }
}
