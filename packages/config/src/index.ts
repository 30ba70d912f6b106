export {
  ConfigError,
  LOCAL_DEFAULTS,
  connectionsFromEnv,
  describeIssues,
  type ClickHouseConnection,
  type Connections,
  type KafkaConnection,
} from './connections.js';
