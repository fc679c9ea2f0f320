/** Undo and redo over immutable states; a new change after an undo drops the redo branch. */

export class History {
  #past = [];
  #future = [];

  constructor(initial, { limit = 100 } = {}) {
    this.present = initial;
    this.limit = limit;
  }

  push(state) {
    if (Object.is(state, this.present)) return false;
    this.#past.push(this.present);
    if (this.#past.length > this.limit) this.#past.shift();
    this.present = state;
    this.#future = [];
    return true;
  }

  undo() {
    if (this.#past.length === 0) return false;
    this.#future.push(this.present);
    this.present = this.#past.pop();
    return true;
  }

  redo() {
    if (this.#future.length === 0) return false;
    this.#past.push(this.present);
    this.present = this.#future.pop();
    return true;
  }

  get canUndo() {
    return this.#past.length > 0;
  }

  get canRedo() {
    return this.#future.length > 0;
  }
}
