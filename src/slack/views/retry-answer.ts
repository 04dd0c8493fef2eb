/** What the operator who clicked "Retry" on a failed offboarding's alert is told, to them alone. */
import type { RetryOffboardingResult } from "../../domain/use-cases/retry-offboarding.js";
import { buildNoticeMessage } from "./notices.js";
import { buildRetryResult } from "./offboard-outcome.js";
import type { SlackMessage } from "./text.js";

export function buildRetryAnswer(result: RetryOffboardingResult): SlackMessage {
  switch (result.status) {
    case "forbidden":
      return buildNoticeMessage("Only Gatehouse operators can retry an offboarding.");
    case "invalid":
      return buildNoticeMessage("This button is out of date.");
    case "ran":
      return buildRetryResult(result.summary);
    case "failed":
      return buildNoticeMessage(`The retry did not run: ${result.error}`);
  }
}
