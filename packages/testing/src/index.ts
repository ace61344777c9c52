export { resolveInfra, findRepoRoot, infraEnv, type InfraUrls } from './infra-urls.js';
export { uniqueName } from './unique-name.js';
export { waitFor, type WaitForOptions } from './wait-for.js';
export { createTestTopic, type CreateTestTopicOptions, type TestTopic } from './kafka-fixture.js';
export { createTestDb, type TestDb } from './mongo-fixture.js';
export { listen, type Listening } from './listen.js';
export { servedRoutes } from './served-routes.js';
export { answerTo } from './answer-to.js';
export { deleteRegistrySubjects, ownedSubjects, type OwnedSubjects } from './registry-subjects.js';
