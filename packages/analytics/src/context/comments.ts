import type { PlatformEvent } from "@pmo/contracts";
import type { ItemComment } from "../types/options.js";

/** The `comment.added` events with an item, as comments (time to first response needs them). */
export function commentsFromEvents(events: readonly PlatformEvent[]): ItemComment[] {
  return events
    .filter((e) => e.type === "comment.added" && e.itemRef !== null)
    .map((e) => ({ itemRef: e.itemRef!, at: new Date(e.at), author: e.actor }));
}
