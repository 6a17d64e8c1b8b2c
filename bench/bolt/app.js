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
  // Web API calls (say) go to the bench's null sink on loopback, as the bot's do.
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
  // The same three paths as the bot's (Bolt's default is one path for everything).
  endpoints: ['/slack/events', '/slack/commands', '/slack/interactions'],
});

app.command('/sb', async ({ ack }) => {
  await ack({ response_type: 'ephemeral', text: 'SecureBase ops bot commands: /sb help, /sb health, /sb logs, /sb alarms, /sb cost, /sb audit' });
});
// The same follow-up work the bot does: a click on a button nobody owns is answered on its response_url, a mention
// gets a threaded pointer to /sb help through chat.postMessage.
app.action(/.*/, async ({ ack, respond }) => {
  await ack();
  await respond({ response_type: 'ephemeral', replace_original: false, text: 'That button is no longer handled.' });
});
app.event('app_mention', async ({ event, say }) => {
  await say({ text: 'Try `/sb help` for what I can do.', thread_ts: event.ts });
});

(async () => {
  await app.start({ port: Number(process.env.PORT), host: '127.0.0.1' });
  console.log(`bolt ready on 127.0.0.1:${process.env.PORT}`);
})();
