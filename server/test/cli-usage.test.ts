// `meritlog status --help` writes the status actions and reasons out (server/src/cli/commands/
// status.ts: the CLI starts without loading the schemas); this keeps that text equal to the lists
// the server accepts (docs/API.md, POST /v1/credentials/{id}/status).
import { describe, expect, it } from "vitest";
import { STATUS_ACTIONS, STATUS_REASONS } from "@meritlog/schemas";
import { status } from "../src/cli/commands/status.js";

describe("meritlog status usage", () => {
  it("lists exactly the status actions and reasons of @meritlog/schemas", () => {
    expect(status.usage).toContain(`ACTION is ${STATUS_ACTIONS.join(" | ")};`);
    expect(status.usage).toContain(`\n${STATUS_REASONS.join(", ")} (other requires --note).`);
  });
});
