import { parseArgs } from "node:util";
import { UsageError } from "./connection.js";
import { artifactsCommand } from "./commands/artifacts.js";
import { runCommand } from "./commands/run.js";
import { listCommand, statusCommand } from "./commands/status.js";
import { demoCommand } from "./commands/demo.js";
import { upCommand } from "./commands/up.js";
import { webhooksCommand } from "./commands/webhooks.js";
import { RUN_FLAGS, type RunFlags } from "./request-flags.js";

const HELP = `pmo — Project Master Orchestrator

usage:
  pmo run --action <monitor|report|manage|sync> --platforms clickup,github,plane --project <id>
          [--report-type daily|weekly|monthly|sprint|velocity] [--format markdown,html,pdf,json]
          [--list-id ID] [--assignee WHO] [--priority low|medium|high|critical] [--title T]
          [--description D] [--sprint NAME] [--dry-run] [--request-id ID] [--wait] [--json] [--timeout S]
  pmo status [workflow-id] [--json]      state of one workflow (default: the newest)
  pmo list [--json]                      every workflow
  pmo artifacts <workflow-id> [--out DIR] [--json]
  pmo up [--only orchestrator,...]       local nats-server (unless NATS_URL is set) + every service
  pmo webhooks register --platform P --url URL [--containers a,b]
                                         ask the running platform agent to register its webhook on the platform
  pmo demo [--seed 42] [--items 300]     the sandbox + the whole mesh + a workflow of each action; prints where the reports are
  pmo sandbox [--seed 42] [--items 500] [--config-out config-sandbox] [--port-clickup N --port-github N --port-plane N]
          [--time-scale 1] [--github-prefix /api/v3] [--project-id web]
                                         ClickUp, GitHub and Plane emulators with seeded data, and a config pointing at them

exit codes: 0 ok · 1 workflow failed · 2 bad usage or request rejected · 3 completed without some platforms · 4 timed out
environment: NATS_URL (default: the server \`pmo up\` started here, else nats://127.0.0.1:4222)
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "run": {
      const { values } = parseArgs({ args: rest, options: RUN_FLAGS, strict: true });
      return runCommand(values as RunFlags);
    }
    case "status": {
      const { values, positionals } = parseArgs({ args: rest, options: { json: { type: "boolean" } }, allowPositionals: true });
      return statusCommand(positionals[0], Boolean(values.json));
    }
    case "list": {
      const { values } = parseArgs({ args: rest, options: { json: { type: "boolean" } } });
      return listCommand(Boolean(values.json));
    }
    case "artifacts": {
      const { values, positionals } = parseArgs({ args: rest, options: { out: { type: "string" }, json: { type: "boolean" } }, allowPositionals: true });
      return artifactsCommand(positionals[0], values.out, Boolean(values.json));
    }
    case "sandbox": {
      // The sandbox is the demo's stand-in for the real platforms; loaded only when asked for.
      const { runSandbox, SandboxUsageError } = await import("@pmo/sandbox");
      try {
        await runSandbox(rest.length ? rest : ["--config-out", "config-sandbox"]);
      } catch (err) {
        if (err instanceof SandboxUsageError) throw new UsageError(err.message);
        throw err;
      }
      return 0;
    }
    case "webhooks": {
      const { values, positionals } = parseArgs({ args: rest, options: { platform: { type: "string" }, url: { type: "string" }, containers: { type: "string" } }, allowPositionals: true });
      return webhooksCommand(positionals[0], values);
    }
    case "demo": {
      const { values } = parseArgs({ args: rest, options: { seed: { type: "string" }, items: { type: "string" } } });
      return demoCommand({ seed: Number(values.seed ?? 42), items: Number(values.items ?? 300) });
    }
    case "up": {
      const { values } = parseArgs({ args: rest, options: { only: { type: "string" } } });
      return upCommand({ only: values.only?.split(",") });
    }
    case undefined:
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(HELP);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}\n\n${HELP}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    const usage = err instanceof UsageError || (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    process.stderr.write(`pmo: ${err.message}\n`);
    process.exit(usage ? 2 : 1);
  },
);
