/** A typed event emitter: listeners run in the order added; `once` listeners run one time. */

type Listener<T> = (payload: T) => void;

interface Entry<T> {
  listener: Listener<T>;
  once: boolean;
}

export class Emitter<Events extends Record<string, unknown>> {
  private listeners: { [K in keyof Events]?: Entry<Events[K]>[] } = {};

  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void {
    return this.add(event, listener, false);
  }

  once<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void {
    return this.add(event, listener, true);
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): number {
    const entries = this.listeners[event] ?? [];
    const current = [...entries]; // a listener added while emitting waits for the next emit
    for (const entry of current) {
      if (entry.once) this.remove(event, entry);
      entry.listener(payload);
    }
    return current.length;
  }

  listenerCount<K extends keyof Events>(event: K): number {
    return this.listeners[event]?.length ?? 0;
  }

  private add<K extends keyof Events>(event: K, listener: Listener<Events[K]>, once: boolean): () => void {
    const entry = { listener, once };
    (this.listeners[event] ??= []).push(entry);
    return () => this.remove(event, entry);
  }

  private remove<K extends keyof Events>(event: K, entry: Entry<Events[K]>): void {
    const entries = this.listeners[event];
    if (!entries) return;
    const index = entries.indexOf(entry);
    if (index !== -1) entries.splice(index, 1);
  }
}
