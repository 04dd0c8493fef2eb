/**
 * The stand-in's workspace: people, channels, DMs, messages and views, and the ids Slack would
 * hand out. Method handlers read and change it; nothing here knows about HTTP. Ids come from
 * counters rather than randomness so that a demo transcript reads the same on every run.
 */
import type { ResponseTarget, StandInChannel, StandInUser, StandInView, StoredMessage } from "./types.js";

export interface WorkspaceOptions {
  teamId?: string;
  teamName?: string;
  teamDomain?: string;
  botUserId?: string;
  botId?: string;
  appId?: string;
  users?: StandInUser[];
  usergroups?: Record<string, string[]>;
  channels?: StandInChannel[];
}

export interface Conversation {
  id: string;
  kind: "channel" | "im" | "mpim";
  name: string;
  isPrivate: boolean;
  members: string[];
  botIsMember: boolean;
  /** The other person in a DM. */
  user?: string;
  created: number;
}

export class Workspace {
  readonly teamId: string;
  readonly teamName: string;
  readonly teamDomain: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly appId: string;
  readonly users = new Map<string, StandInUser>();
  readonly usergroups = new Map<string, string[]>();
  readonly conversations = new Map<string, Conversation>();
  readonly messages: StoredMessage[] = [];
  readonly views = new Map<string, StandInView>();
  readonly responseTargets = new Map<string, ResponseTarget>();
  readonly triggers = new Map<string, string>();
  private readonly counters = new Map<string, number>();
  private lastTsMicros = 0;

  constructor(
    options: WorkspaceOptions = {},
    private readonly now: () => Date = () => new Date(),
  ) {
    this.teamId = options.teamId ?? "T0GATEHSE1";
    this.teamName = options.teamName ?? "Gatehouse Sandbox";
    this.teamDomain = options.teamDomain ?? "gatehouse-sandbox";
    this.botUserId = options.botUserId ?? "U0GATEBOT1";
    this.botId = options.botId ?? "B0GATEBOT1";
    this.appId = options.appId ?? "A0GATEHSE1";
    this.users.set(this.botUserId, {
      id: this.botUserId,
      name: "gatehouse",
      realName: "Gatehouse",
      isBot: true,
    });
    for (const user of options.users ?? []) this.users.set(user.id, { ...user });
    for (const [id, members] of Object.entries(options.usergroups ?? {}))
      this.usergroups.set(id, [...members]);
    for (const channel of options.channels ?? []) this.addChannel(channel);
  }

  addChannel(channel: StandInChannel): Conversation {
    const botIsMember = channel.botIsMember !== false;
    const members = [...(channel.members ?? [])];
    if (botIsMember && !members.includes(this.botUserId)) members.push(this.botUserId);
    const conversation: Conversation = {
      id: channel.id,
      kind: "channel",
      name: channel.name,
      isPrivate: channel.isPrivate ?? false,
      members,
      botIsMember,
      created: this.epochSeconds(),
    };
    this.conversations.set(channel.id, conversation);
    return conversation;
  }

  /** Slack keeps one DM per pair of people; opening it again returns the same id. */
  openIm(userId: string): { conversation: Conversation; alreadyOpen: boolean } {
    for (const c of this.conversations.values()) {
      if (c.kind === "im" && c.user === userId) return { conversation: c, alreadyOpen: true };
    }
    const conversation: Conversation = {
      id: this.nextId("D"),
      kind: "im",
      name: userId,
      isPrivate: true,
      members: [userId, this.botUserId],
      botIsMember: true,
      user: userId,
      created: this.epochSeconds(),
    };
    this.conversations.set(conversation.id, conversation);
    return { conversation, alreadyOpen: false };
  }

  openMpim(userIds: string[]): { conversation: Conversation; alreadyOpen: boolean } {
    const members = [...new Set([...userIds, this.botUserId])];
    const key = [...members].sort().join(",");
    for (const c of this.conversations.values()) {
      if (c.kind === "mpim" && [...c.members].sort().join(",") === key)
        return { conversation: c, alreadyOpen: true };
    }
    const names = members.map((id) => this.users.get(id)?.name ?? id);
    const conversation: Conversation = {
      id: this.nextId("G"),
      kind: "mpim",
      name: `mpdm-${names.join("--")}-1`,
      isPrivate: true,
      members,
      botIsMember: true,
      created: this.epochSeconds(),
    };
    this.conversations.set(conversation.id, conversation);
    return { conversation, alreadyOpen: false };
  }

  /** A channel argument as Slack accepts it: a conversation id, a `#name`, or a user id (their DM). */
  resolveConversation(ref: string): Conversation | undefined {
    const direct = this.conversations.get(ref);
    if (direct) return direct;
    if (ref.startsWith("#")) {
      const name = ref.slice(1);
      return [...this.conversations.values()].find((c) => c.kind === "channel" && c.name === name);
    }
    const user = this.users.get(ref);
    if (user && !user.deleted) return this.openIm(user.id).conversation;
    return undefined;
  }

  findUserByEmail(email: string): StandInUser | undefined {
    const wanted = email.trim().toLowerCase();
    return [...this.users.values()].find((u) => u.email?.toLowerCase() === wanted);
  }

  findMessage(channel: string, ts: string): StoredMessage | undefined {
    return this.messages.find((m) => m.channel === channel && m.ts === ts && !m.deleted);
  }

  addMessage(message: Omit<StoredMessage, "ts" | "deleted">): StoredMessage {
    const stored: StoredMessage = { ...message, ts: this.nextTs(), deleted: false };
    this.messages.push(stored);
    return stored;
  }

  /**
   * Message timestamps are Slack's message ids: "seconds.micros", unique and increasing within the
   * workspace, so two posts in the same millisecond still get distinct, ordered ts values.
   */
  nextTs(): string {
    const micros = Math.max(this.now().getTime() * 1000, this.lastTsMicros + 1);
    this.lastTsMicros = micros;
    const seconds = Math.floor(micros / 1_000_000);
    return `${seconds}.${String(micros % 1_000_000).padStart(6, "0")}`;
  }

  nextId(prefix: string): string {
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    return `${prefix}0SB${n.toString(36).toUpperCase().padStart(6, "0")}`;
  }

  /** View hashes change on every update, which is what lets views.update detect a stale writer. */
  nextHash(): string {
    return `${this.epochSeconds()}.${this.nextId("h").slice(4).toLowerCase()}`;
  }

  epochSeconds(): number {
    return Math.floor(this.now().getTime() / 1000);
  }

  currentTime(): Date {
    return this.now();
  }
}
