/** The "New contractor" request modal opened by `/contractor`. */
import type { KnownBlock, ModalView, PlainTextOption, RadioButtons } from "@slack/types";
import type { LocalDate } from "../../lib/time.js";
import { BLOCK, CALLBACK, CREDENTIAL_OPTION, FIELD } from "../ids.js";
import { choicesStatusBlocks, isReady } from "./choices-status.js";
import type { Choices } from "./form-fields.js";
import { dateInput, emailInput, INPUT_MAX, modal, multiSelectInput, textInput } from "./form-fields.js";
import { siteBlock } from "./buzzin-modal.js";
import { BUTTON, CREDENTIAL_LABEL, LABEL, TITLE } from "./labels.js";
import { SLACK_LIMITS } from "./limits.js";
import { context, mrkdwn, plain } from "./text.js";

type ContractorCredential = keyof typeof CREDENTIAL_OPTION;

interface ContractorFormValues {
  firstName: string;
  lastName: string;
  email: string;
  company: string;
  accessGroupIds: number[];
  startDate: LocalDate;
  endDate: LocalDate;
  credential: ContractorCredential;
  cardNumber: string;
  notes: string;
}

export interface ContractorModalData {
  groups: Choices;
  /** Today in the account time zone: the first day that may be chosen. */
  today: LocalDate;
  privateMetadata: string;
  maxDays: number;
  initial?: Partial<ContractorFormValues>;
  /** Buzz-in is configured: the form starts with the site picker. */
  sites?: boolean;
}

function credentialOption(value: ContractorCredential): PlainTextOption {
  return { text: plain(CREDENTIAL_LABEL[value], SLACK_LIMITS.optionText), value: CREDENTIAL_OPTION[value] };
}

export function buildContractorModal(data: ContractorModalData): ModalView {
  const base = {
    callbackId: CALLBACK.contractorRequest,
    title: TITLE.contractor,
    privateMetadata: data.privateMetadata,
  };
  const status = choicesStatusBlocks(data.groups, {
    what: "access groups",
    command: "/contractor",
    blockId: BLOCK.accessGroupsStatus,
  });
  const site: KnownBlock[] = data.sites ? [siteBlock("doorflow")] : [];
  if (status || !isReady(data.groups)) {
    return modal({ ...base, close: BUTTON.cancel, blocks: [...site, ...(status ?? [])] });
  }

  const v = data.initial ?? {};
  const groups = multiSelectInput(FIELD.accessGroups, LABEL.accessGroups, data.groups, {
    placeholder: "Choose one or more groups",
    ...(v.accessGroupIds ? { initialIds: v.accessGroupIds } : {}),
  });
  const credential: RadioButtons = {
    type: "radio_buttons",
    action_id: FIELD.credential.action,
    options: [credentialOption("card"), credentialOption("mobile")],
    initial_option: credentialOption(v.credential ?? "card"),
  };
  const blocks: KnownBlock[] = [
    ...site,
    textInput(FIELD.firstName, LABEL.firstName, { initial: v.firstName, maxLength: INPUT_MAX.name }),
    textInput(FIELD.lastName, LABEL.lastName, { initial: v.lastName, maxLength: INPUT_MAX.name }),
    emailInput(FIELD.email, LABEL.email, { initial: v.email }),
    textInput(FIELD.company, LABEL.company, { initial: v.company, maxLength: INPUT_MAX.company }),
    groups.block,
  ];
  if (groups.omitted > 0) {
    blocks.push(context(mrkdwn`${groups.omitted} more groups could not be listed here; ask an operator.`));
  }
  blocks.push(
    dateInput(FIELD.startDate, LABEL.startDate, {
      initial: v.startDate ?? data.today,
      placeholder: "First day",
    }),
    dateInput(FIELD.endDate, LABEL.endDate, {
      initial: v.endDate,
      placeholder: "Last day",
      hint: `At most ${data.maxDays} days after the start date`,
    }),
    {
      type: "input",
      block_id: FIELD.credential.block,
      label: plain(LABEL.credential),
      element: credential,
    },
    textInput(FIELD.cardNumber, LABEL.cardNumber, {
      optional: true,
      initial: v.cardNumber,
      maxLength: INPUT_MAX.cardNumber,
      hint: "Digits only; required for a card",
    }),
    textInput(FIELD.notes, LABEL.notes, {
      optional: true,
      multiline: true,
      initial: v.notes,
      maxLength: INPUT_MAX.notes,
    }),
  );
  return modal({ ...base, submit: BUTTON.request, close: BUTTON.cancel, blocks });
}
