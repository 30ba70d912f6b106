export {
  BY,
  defaultStep,
  parseDuration,
  parseTime,
  resolveQuery,
  trendQuerySchema,
  type By,
  type TrendQuery,
  type TrendQueryInput,
} from './query.js';
export {
  createTrends,
  rateSql,
  seriesSql,
  topSql,
  type RatePoint,
  type SeriesPoint,
  type TopRow,
  type Trends,
} from './trends.js';
export { fillSeries, type Series } from './series.js';
export { createApiServer, type ApiDeps } from './server.js';
export {
  createAlertEngine,
  dataWatermark,
  replayAlerts,
  type AlertEngine,
  type EngineDeps,
  type Notifier,
} from './alerts/engine.js';
export { evaluateRule, entriesWithTag } from './alerts/evaluate.js';
export {
  DEFAULT_RULES_INPUT,
  loadRules,
  parseRules,
  ruleForTenant,
  ruleSchema,
  rulesFileSchema,
  type Rule,
  type RulesFile,
} from './alerts/rules.js';
export { DEFAULT_SPIKE, detectSpike, median, type SpikeOptions, type SpikeVerdict } from './alerts/spike.js';
export { incidentKey, type Finding, type Incident } from './alerts/types.js';
export {
  alertPayload,
  createWebhookNotifier,
  formatBody,
  WebhookError,
  type WebhookFormat,
  type WebhookOptions,
} from './alerts/webhook.js';
export { runApi, type RunningApi, type ServeOptions } from './run.js';
