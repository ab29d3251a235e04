// npm run digest:send [-- --period month|2026-10|2026-Q3|2026 | --week YYYY-MM-DD]: posts a
// period's digest (last week's by default) to every channel subscribed to that kind of
// period now, as the Monday schedule does, and with the same exactly-once claims: run it
// while the bot is running, or twice, and no channel gets the digest twice.
import { loadConfig, teamsConfigured } from '../config.js';
import { parsePeriod, periodExamples } from '../domain/periods.js';
import { isWeekStart } from '../domain/weeks.js';
import { createServices } from '../services.js';
import { slackChartFiles } from '../slack/chartFiles.js';
import { digestClient, slackDigestPoster } from '../slack/digestPoster.js';
import { openDatabaseForTool } from './openForTool.js';
import { teamsConversationStore } from '../store/teamsConversationStore.js';
import { createTeamsAdapter } from '../teams/adapter.js';
import { teamsDigestPoster } from '../teams/digestPoster.js';

async function sendDigest(args: string[]): Promise<number> {
  const weekIndex = args.indexOf('--week');
  const week = weekIndex >= 0 ? args[weekIndex + 1] : undefined;
  if (week !== undefined && !isWeekStart(week)) {
    console.error(`--week takes a Monday as YYYY-MM-DD; "${week}" is not one. Nothing was posted.`);
    return 2;
  }
  const periodIndex = args.indexOf('--period');
  const periodText = periodIndex >= 0 ? (args[periodIndex + 1] ?? '') : undefined;
  const config = loadConfig();
  const period = periodText === undefined ? undefined : parsePeriod(periodText, new Date(), config.ORG_TIMEZONE);
  if (periodText !== undefined && !period) {
    console.error(
      `--period takes ${periodExamples.replaceAll('`', '')}; "${periodText}" is not one. Nothing was posted.`,
    );
    return 2;
  }
  if (!config.SLACK_BOT_TOKEN && !teamsConfigured(config)) {
    console.error('Set SLACK_BOT_TOKEN or MICROSOFT_APP_ID: there is no workspace to post to.');
    return 2;
  }
  const database = await openDatabaseForTool(
    config,
    'Nothing was posted',
    'While it runs, its own schedule posts to every subscribed channel, and `/digest now` (Slack) or `digest now` (Teams) posts in one channel.',
  );
  if (!database) return 1;
  try {
    const services = createServices(database.prisma, config);
    if (config.SLACK_BOT_TOKEN) {
      const client = digestClient(
        config.SLACK_BOT_TOKEN,
        config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {},
      );
      services.addPoster(slackDigestPoster(client, slackChartFiles(client, services.log)));
    }
    if (teamsConfigured(config)) {
      services.addPoster(
        teamsDigestPoster(
          createTeamsAdapter(config, services.log),
          config.MICROSOFT_APP_ID ?? '',
          teamsConversationStore(database.prisma),
          services.log,
        ),
      );
    }
    const report = await services.deliverDigest(period ?? week ?? services.lastWeek());
    console.log(
      `${report.period.kind} ${report.period.name}: posted to ${report.posted.length}, already posted in ${report.alreadyPosted.length}, being posted by another process in ${report.heldByAnother.length}, failed in ${report.failed.length} channels.`,
    );
    return report.failed.length ? 1 : 0;
  } finally {
    await database.close();
  }
}

// The schema engine's glue leaves a 10-second timer behind after migrating; a finished command should not wait for it.
process.exit(await sendDigest(process.argv.slice(2)));
