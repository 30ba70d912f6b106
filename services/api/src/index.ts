export { BY, defaultStep, parseDuration, parseTime, resolveQuery, trendQuerySchema, type By, type TrendQuery, type TrendQueryInput } from './query.js';
export { createTrends, rateSql, seriesSql, topSql, type RatePoint, type SeriesPoint, type TopRow, type Trends } from './trends.js';
