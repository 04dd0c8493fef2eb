/**
 * A story (sandbox DoorFlow + Slack stand-in + the real bot) whose log lines are kept for
 * inspection. Its DoorFlow sandbox records every exchange, and closing the story checks them
 * against DoorFlow's spec (test/contract): a request Gatehouse sends or an answer the sandbox gives
 * that the spec does not allow fails the test that played it.
 */
import { createLogger } from "../../src/lib/logger.js";
import { type Story, type StoryOptions, startStory } from "../../tools/sandbox/story.js";
import { checkRecorded, formatViolations } from "../contract/check.js";

export interface TestStory extends Story {
  logLines: string[];
}

export async function startTestStory(options: Partial<StoryOptions> = {}): Promise<TestStory> {
  const logLines: string[] = [];
  const logger = createLogger({ level: "debug", write: (line) => logLines.push(line) });
  const story = await startStory({ logger, ...options, doorflow: { record: true, ...options.doorflow } });
  // A sandbox passed in belongs to the story that started it, which checks it.
  const ownSandbox = options.sandbox === undefined;
  const close = story.close;
  return Object.assign(story, {
    logLines,
    close: async () => {
      await close();
      if (!ownSandbox) return;
      const violations = formatViolations(checkRecorded(story.doorflow.sandbox).violations);
      if (violations.length > 0) {
        throw new Error(`DoorFlow exchanges the spec does not allow:\n${violations.join("\n")}`);
      }
    },
  });
}
