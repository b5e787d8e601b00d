/** Process entry for multi-process tests: FAKE_AGENT=github FAKE_BEHAVIOURS='{"github.collect":{"failTimes":1}}'. */
import { AGENTS, type Agent } from "@pmo/contracts";
import { runServiceMain } from "@pmo/runtime";
import { startFakeAgent } from "./fake-agent.js";

const agent = process.env.FAKE_AGENT as Agent;
if (!AGENTS.includes(agent)) {
  process.stderr.write(`FAKE_AGENT must be one of ${AGENTS.join(", ")}\n`);
  process.exit(2);
}
runServiceMain(() =>
  startFakeAgent(agent, {
    env: process.env,
    behaviours: JSON.parse(process.env.FAKE_BEHAVIOURS ?? "{}"),
    effectsLog: process.env.FAKE_EFFECTS_LOG ?? null,
    installSignalHandlers: true,
  }),
);
