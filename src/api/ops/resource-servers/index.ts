import type { AnyOperation } from '../../define-operation.js';
import { createResourceServer } from './create-resource-server.js';
import { describeResourceServer } from './describe-resource-server.js';
import { updateResourceServer } from './update-resource-server.js';
import { deleteResourceServer } from './delete-resource-server.js';
import { listResourceServers } from './list-resource-servers.js';

/** The resource-server operations, one module each. */
export const resourceServersOperations: readonly AnyOperation[] = [
  createResourceServer,
  describeResourceServer,
  updateResourceServer,
  deleteResourceServer,
  listResourceServers,
];
