// The stand-in for the Slack Web API lives beside the playground, which runs it in the bot
// itself; the tests use the very same one.
export * from '../../src/playground/slackStandIn.js';
