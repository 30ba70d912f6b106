export {
  CONSUMER_DEFAULTS,
  CONSUMER_ENV,
  consumerConfig,
  consumerConfigSchema,
  type ConsumerConfig,
} from './config.js';
export { DLQ_HEADERS, sendDeadLetters, type DeadLetter } from './dead-letter.js';
export { createMetrics, type Metrics } from './metrics.js';
export { OffsetTracker, type TopicPartitionOffset } from './offsets.js';
export { createPipeline, type Pipeline, type PipelineDeps } from './pipeline.js';
export { runConsumer, type RunningConsumer } from './run.js';
