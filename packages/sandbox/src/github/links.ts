/**
 * Base URLs that GitHub embeds in every object (`url`, `html_url`, `*_url`). They follow the address
 * the client used, so objects from an "/api/v3" (Enterprise) mount point at that mount, and the HTML
 * side is the bare host as on GitHub Enterprise Server.
 */
export interface Links {
  api: string; // "http://127.0.0.1:4100" or "http://127.0.0.1:4100/api/v3"
  html: string; // "http://127.0.0.1:4100"
}

export function linksFor(url: URL, prefix: string): Links {
  return { api: url.origin + prefix, html: url.origin };
}

/** Used only for webhook payloads rendered before any request revealed the server's address. */
export const PUBLIC_GITHUB_LINKS: Links = { api: "https://api.github.com", html: "https://github.com" };
