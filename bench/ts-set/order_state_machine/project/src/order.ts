/** An order moves through a fixed set of states; every move is checked against the table. */

export type State = "cart" | "placed" | "paid" | "shipped" | "delivered" | "cancelled" | "refunded";
export type Event = "place" | "pay" | "ship" | "deliver" | "cancel" | "refund";

const TRANSITIONS: Record<State, Partial<Record<Event, State>>> = {
  cart: { place: "placed" },
  placed: { pay: "paid", cancel: "cancelled" },
  paid: { ship: "shipped", cancel: "refunded" },
  shipped: { deliver: "delivered" },
  delivered: { refund: "refunded" },
  cancelled: {},
  refunded: {},
};

export class TransitionError extends Error {}

export function next(state: State, event: Event): State {
  const target = TRANSITIONS[state][event];
  if (target === undefined) throw new TransitionError(`cannot ${event} an order that is ${state}`);
  return target;
}

export function isFinal(state: State): boolean {
  return Object.keys(TRANSITIONS[state]).length === 0;
}

export function allowedEvents(state: State): Event[] {
  return Object.keys(TRANSITIONS[state]) as Event[];
}

/** Replays events from the cart, returning every state passed through. */
export function replay(events: Event[]): State[] {
  const states: State[] = ["cart"];
  for (const event of events) states.push(next(states[states.length - 1], event));
  return states;
}
