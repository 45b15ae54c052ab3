import { SMTPServer } from "smtp-server";
import { freePort } from "./ports.ts";

export interface ReceivedMail {
  to: string;
  subject: string;
  messageId: string;
  raw: string;
}

/**
 * A real SMTP server on loopback (the smtp-server package) that keeps what it receives. `rcptAnswers` are the
 * answers to the next RCPT TO commands, one per attempt (undefined accepts): how a test makes 4xx and 5xx happen.
 */
export async function startSmtpSink() {
  const received: ReceivedMail[] = [];
  const rcptAnswers: Array<number | undefined> = [];
  const port = await freePort();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onRcptTo(_address, _session, callback) {
      const code = rcptAnswers.shift();
      if (code === undefined) return callback();
      callback(Object.assign(new Error(code >= 500 ? "mailbox unavailable" : "try again later"), { responseCode: code }));
    },
    onData(stream, session, callback) {
      let raw = "";
      stream.on("data", (c: Buffer) => (raw += c.toString()));
      stream.on("end", () => {
        // Long headers are folded over several lines (RFC 5322): unfold before reading one.
        const head = raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, " ");
        const header = (name: string) => new RegExp(`^${name}: (.*)$`, "im").exec(head)?.[1]?.trim() ?? "";
        received.push({ to: session.envelope.rcptTo.map((r) => r.address).join(","), subject: header("Subject"), messageId: header("Message-ID"), raw });
        callback();
      });
    },
  });
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", () => r()));
  return {
    port,
    received,
    rcptAnswers,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
