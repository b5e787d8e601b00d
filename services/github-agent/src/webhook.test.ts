import { describe, expect, it } from "vitest";
import { githubSignature, githubWebhook } from "./webhook.js";

describe("github webhook adapter", () => {
  it("signs like GitHub's documented test vector and verifies only the exact body", () => {
    const secret = "It's a Secret to Everybody";
    expect(githubSignature(secret, "Hello, World!")).toBe("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
    const headers = { "x-hub-signature-256": githubSignature(secret, "Hello, World!") };
    expect(githubWebhook.verify(Buffer.from("Hello, World!"), headers, secret)).toBe(true);
    expect(githubWebhook.verify(Buffer.from("Hello, World?"), headers, secret)).toBe(false);
    expect(githubWebhook.verify(Buffer.from("Hello, World!"), {}, secret)).toBe(false);
  });

  it("normalises issues, comments and pull requests with the delivery id as event id; ping is ignored", () => {
    const headers = (event: string) => ({ "x-github-event": event, "x-github-delivery": `d-${event}` });
    const repository = { full_name: "acme/web" };
    const at = new Date("2024-05-01T10:00:00Z");
    const closed = githubWebhook.normalise({ action: "closed", issue: { number: 3, updated_at: "2024-05-01T09:00:00Z", state_reason: "not_planned" }, repository, sender: { login: "ada" } }, headers("issues"), at);
    expect(closed).toEqual([{ id: "d-issues", platform: "github", type: "status.changed", itemRef: { platform: "github", id: "acme/web#3" }, at: "2024-05-01T09:00:00.000Z", actor: "ada", changes: [{ field: "state", from: "open", to: "closed:not_planned" }] }]);
    const comment = githubWebhook.normalise({ action: "created", issue: { number: 3 }, comment: { id: 9, created_at: "2024-05-01T09:30:00Z" }, repository }, headers("issue_comment"), at);
    expect(comment[0]).toMatchObject({ type: "comment.added", at: "2024-05-01T09:30:00.000Z" });
    const merged = githubWebhook.normalise({ action: "closed", pull_request: { number: 4, merged: true }, repository }, headers("pull_request"), at);
    expect(merged[0]).toMatchObject({ type: "status.changed", changes: [{ field: "state", from: "open", to: "merged" }], at: at.toISOString() });
    expect(githubWebhook.normalise({ zen: "hi" }, headers("ping"), at)).toEqual([]);
    expect(() => githubWebhook.normalise({ action: "opened", repository }, headers("issues"), at)).toThrow(/without/);
  });
});
