/** The `comment_html` Plane stores for a truth comment: the HTML written through the API, else the text as a paragraph. */
import type { Comment, TruthItem } from "../truth/model.js";
import type { PlaneStore } from "./store.js";
import { escapeHtml } from "./wire-format.js";

export function commentHtml(store: PlaneStore, item: TruthItem, comment: Comment): string {
  return store.extras(item).commentHtml.get(comment.id) ?? `<p>${escapeHtml(comment.body)}</p>`;
}
