/** People as ClickUp renders them in tasks, comments, time entries and webhook history items. */
import type { Person } from "../truth/model.js";

/** ClickUp's avatar palette; each person keeps one colour for the life of the truth. */
const USER_COLORS = ["#7b68ee", "#827718", "#08c7e0", "#aa2fff", "#d60800", "#f9d900", "#0ab4ff", "#81b1ff", "#ff7800", "#3db88b", "#e16b16", "#bf4acc"];

export interface ClickUpUser {
  id: number;
  username: string;
  color: string;
  initials: string;
  email: string;
  profilePicture: null;
}

export function userView(person: Person, index: number): ClickUpUser {
  const initials = person.name
    .split(/\s+/)
    .map((w) => w[0] ?? "")
    .join("")
    .slice(0, 2)
    .toUpperCase();
  return {
    id: person.clickupId,
    username: person.name,
    color: USER_COLORS[index % USER_COLORS.length]!,
    initials,
    email: person.email,
    profilePicture: null,
  };
}
