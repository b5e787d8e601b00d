/** Person / organisation → GitHub `simple-user` and the authenticated-user shape of GET /user. */
import type { Person } from "../truth/model.js";
import type { Links } from "./links.js";
import { isoTime, nodeId, stableInt } from "./ids.js";

export function renderAccount(links: Links, login: string, id: number, type: "User" | "Organization") {
  const url = `${links.api}/users/${login}`;
  return {
    login,
    id,
    node_id: nodeId(type, id),
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: "",
    url,
    html_url: `${links.html}/${login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type,
    user_view_type: "public",
    site_admin: false,
  };
}

export function renderUser(links: Links, person: Person) {
  return renderAccount(links, person.login, person.githubId, "User");
}

export function renderUserOrNull(links: Links, person: Person | undefined) {
  return person ? renderUser(links, person) : null;
}

/** The layout names the org only by login; its id is a stable hash of that login. */
export function organizationId(login: string): number {
  return stableInt(`org:${login}`);
}

export function renderOrganization(links: Links, login: string) {
  return renderAccount(links, login, organizationId(login), "Organization");
}

/** GET /user: the public fields plus the profile fields GitHub returns to the token's owner. */
export function renderViewer(links: Links, person: Person, memberSince: number) {
  return {
    ...renderUser(links, person),
    user_view_type: "private",
    name: person.name,
    company: null,
    blog: "",
    location: null,
    email: person.email,
    hireable: null,
    bio: null,
    twitter_username: null,
    notification_email: person.email,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: isoTime(memberSince),
    updated_at: isoTime(memberSince),
  };
}
