/**
 * Plain-text rendering of Block Kit for the demo's transcript and for test failure messages:
 * close enough to what a person sees in Slack to follow a conversation, without a Slack client.
 * Pure functions; unknown blocks render as `[type]` rather than disappearing.
 */
type Json = Record<string, unknown>;

const DIVIDER = "-".repeat(40);

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Slack's mrkdwn escapes and links, reduced to what a reader would see. */
export function plainMrkdwn(text: string): string {
  return text
    .replace(/<!date\^[^|>]*\|([^>]*)>/g, "$1")
    .replace(/<!(here|channel|everyone)>/g, "@$1")
    .replace(/<!subteam\^([A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, label?: string) => label ?? `@${id}`)
    .replace(/<@([A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, label?: string) => `@${label ?? id}`)
    .replace(/<#([A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, label?: string) => `#${label ?? id}`)
    .replace(/<([^|>]+)\|([^>]*)>/g, "$2")
    .replace(/<([^>]+)>/g, "$1")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

function textOf(value: unknown): string {
  if (typeof value === "string") return plainMrkdwn(value);
  if (isObject(value) && typeof value.text === "string") return plainMrkdwn(value.text);
  return "";
}

function optionText(option: unknown): string {
  return isObject(option) ? textOf(option.text) : "";
}

function renderElement(element: unknown): string {
  if (!isObject(element)) return "";
  switch (element.type) {
    case "button":
      return `[ ${textOf(element.text)} ]`;
    case "datepicker":
      return `[ ${typeof element.initial_date === "string" ? element.initial_date : "yyyy-mm-dd"} ]`;
    case "overflow":
      return "[ ... ]";
    case "image":
      return `[image: ${typeof element.alt_text === "string" ? element.alt_text : ""}]`;
    case "plain_text":
    case "mrkdwn":
      return textOf(element);
    default:
      break;
  }
  if (typeof element.type === "string" && element.type.includes("select")) {
    const chosen = element.initial_option
      ? optionText(element.initial_option)
      : Array.isArray(element.initial_options)
        ? element.initial_options.map(optionText).join(", ")
        : "";
    return `[ ${chosen || textOf(element.placeholder) || "Select"} v ]`;
  }
  return `[${String(element.type)}]`;
}

function renderInputValue(element: unknown): string {
  if (!isObject(element)) return "____";
  const options = Array.isArray(element.options) ? element.options : [];
  switch (element.type) {
    case "plain_text_input":
    case "email_text_input":
    case "number_input":
    case "url_text_input":
      return typeof element.initial_value === "string" && element.initial_value
        ? element.initial_value
        : "____";
    case "radio_buttons": {
      const chosen = optionText(element.initial_option);
      return options.map((o) => `(${optionText(o) === chosen ? "*" : " "}) ${optionText(o)}`).join("  ");
    }
    case "checkboxes": {
      const chosen = new Set(
        (Array.isArray(element.initial_options) ? element.initial_options : []).map(optionText),
      );
      return options.map((o) => `[${chosen.has(optionText(o)) ? "x" : " "}] ${optionText(o)}`).join("  ");
    }
    default:
      return renderElement(element);
  }
}

function renderBlock(block: unknown): string {
  if (!isObject(block)) return "";
  switch (block.type) {
    case "header":
      return `# ${textOf(block.text)}`;
    case "divider":
      return DIVIDER;
    case "section": {
      const lines: string[] = [];
      if (block.text) lines.push(textOf(block.text));
      if (Array.isArray(block.fields)) {
        for (const field of block.fields) lines.push(`  ${textOf(field).replace(/\n/g, " ")}`);
      }
      if (block.accessory) lines.push(renderElement(block.accessory));
      return lines.join("\n");
    }
    case "context":
      return `  ${(Array.isArray(block.elements) ? block.elements : []).map(renderElement).join("  ")}`;
    case "actions":
      return (Array.isArray(block.elements) ? block.elements : []).map(renderElement).join("  ");
    case "input": {
      const optional = block.optional === true ? " (optional)" : "";
      const hint = block.hint ? `\n  ${textOf(block.hint)}` : "";
      return `${textOf(block.label)}${optional}: ${renderInputValue(block.element)}${hint}`;
    }
    case "image":
      return `[image: ${typeof block.alt_text === "string" ? block.alt_text : ""}]`;
    case "rich_text":
      return richText(block.elements);
    default:
      return `[${String(block.type)}]`;
  }
}

function richText(elements: unknown): string {
  if (!Array.isArray(elements)) return "";
  return elements
    .map((e) => {
      if (!isObject(e)) return "";
      if (typeof e.text === "string") return e.text;
      if (e.type === "user" && typeof e.user_id === "string") return `@${e.user_id}`;
      if (e.type === "link" && typeof e.url === "string") return e.url;
      return richText(e.elements);
    })
    .join("");
}

export function renderBlocks(blocks: unknown): string {
  if (!Array.isArray(blocks)) return "";
  return blocks
    .map(renderBlock)
    .filter((line) => line.length > 0)
    .join("\n");
}

export function renderView(view: unknown): string {
  if (!isObject(view)) return "";
  const title = textOf(view.title) || (view.type === "home" ? "App Home" : "");
  const lines = [`=== ${title} ===`, renderBlocks(view.blocks)];
  if (view.type === "modal") {
    const buttons = [
      view.submit ? `[ ${textOf(view.submit)} ]` : "",
      `[ ${textOf(view.close) || "Cancel"} ]`,
    ];
    lines.push(buttons.filter((b) => b.length > 0).join("  "));
  }
  return lines.filter((line) => line.length > 0).join("\n");
}
