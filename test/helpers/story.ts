/** A story (sandbox DoorFlow + Slack stand-in + the real bot) whose log lines are kept for inspection. */
import { createLogger } from "../../src/lib/logger.js";
import { type Story, type StoryOptions, startStory } from "../../src/sandbox/story.js";

export interface TestStory extends Story {
  logLines: string[];
}

export async function startTestStory(options: Partial<StoryOptions> = {}): Promise<TestStory> {
  const logLines: string[] = [];
  const logger = createLogger({ level: "debug", write: (line) => logLines.push(line) });
  const story = await startStory({ logger, ...options });
  return Object.assign(story, { logLines });
}
