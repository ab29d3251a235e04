// The stand-in for the Bot Framework connector lives beside the playground, which runs it in the bot
// itself; the tests use the very same one.
export * from '../../src/playground/connectorStandIn.js';
