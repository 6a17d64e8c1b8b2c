// Slack Bolt for JavaScript (default HTTP receiver, signature verification on) answering what the bench sends, on
// 127.0.0.1 only: /sb acked with a short text (Bolt's ack({text})), clicks and events acked. PORT and
// SLACK_SIGNING_SECRET come from the environment. Run by bench/compare.sh; never exposed beyond loopback.
const { App, LogLevel } = require('@slack/bolt');

const app = new App({
  signingSecret: process.env.SLACK_SIGNING_SECRET,
  token: 'xoxb-bench-unused',
  tokenVerificationEnabled: false,
  // Given, so Bolt never calls auth.test (no network beyond loopback here).
  botId: 'B0BENCH',
  botUserId: 'U0BENCH',
  logLevel: LogLevel.ERROR,
  // The same three paths as the bot's (Bolt's default is one path for everything).
  endpoints: ['/slack/events', '/slack/commands', '/slack/interactions'],
});

app.command('/sb', async ({ ack }) => {
  await ack({ response_type: 'ephemeral', text: 'SecureBase ops bot commands: /sb help, /sb health, /sb logs, /sb alarms, /sb cost, /sb audit' });
});
app.action(/.*/, async ({ ack }) => { await ack(); });
app.event('app_mention', async () => {});

(async () => {
  await app.start({ port: Number(process.env.PORT), host: '127.0.0.1' });
  console.log(`bolt ready on 127.0.0.1:${process.env.PORT}`);
})();
