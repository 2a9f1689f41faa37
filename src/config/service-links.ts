import { isIP } from 'node:net';

/**
 * Kubernetes service links. The kubelet gives every pod variables for each Service of its namespace
 * (unless the pod sets `enableServiceLinks: false`); a Service named `cognate` or `cognate-*` yields
 * `COGNATE_*` names, among them `COGNATE_PORT=tcp://10.0.0.1:9229`, which is not our port setting.
 * These are recognised by their exact shapes (name and value, as the kubelet builds them) so that
 * a typo in a real setting is still rejected.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/service/#environment-variables
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/kubelet/envvars/envvars.go
 */

/** `COGNATE` or `COGNATE_<SERVICE NAME SUFFIX>`: a DNS label uppercased, `-` turned into `_`. */
const SERVICE = 'COGNATE(?:_[A-Z0-9_]*[A-Z0-9])?';
const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
const PORT_NUMBER = /^[1-9]\d{0,4}$/;

function isPort(value: string): boolean {
  return PORT_NUMBER.test(value) && Number(value) <= 65535;
}

/** `tcp://10.0.0.1:9229` or `tcp://[fd00::1]:9229`, as Go's net.JoinHostPort writes it; the port when it is one. */
function linkPort(value: string, protocol?: string): string | undefined {
  const match = /^(tcp|udp|sctp):\/\/(?:\[([0-9a-fA-F:.]+)\]|([0-9.]+)):(\d+)$/.exec(value);
  if (!match || (protocol !== undefined && match[1] !== protocol.toLowerCase())) return undefined;
  const host = match[2] ?? match[3] ?? '';
  if (isIP(host) !== (match[2] === undefined ? 4 : 6) || !isPort(match[4]!)) return undefined;
  return match[4];
}

const SHAPES: readonly { name: RegExp; value: (value: string, groups: string[]) => boolean }[] = [
  { name: new RegExp(`^${SERVICE}_SERVICE_HOST$`), value: (v) => isIP(v) !== 0 },
  { name: new RegExp(`^${SERVICE}_SERVICE_PORT(?:_[A-Z0-9_]+)?$`), value: isPort },
  { name: new RegExp(`^${SERVICE}_PORT$`), value: (v) => linkPort(v) !== undefined },
  {
    name: new RegExp(`^${SERVICE}_PORT_(\\d+)_(${PROTOCOLS.join('|')})$`),
    value: (v, [port, protocol]) => linkPort(v, protocol) === port,
  },
  { name: new RegExp(`^${SERVICE}_PORT_(\\d+)_(?:${PROTOCOLS.join('|')})_ADDR$`), value: (v) => isIP(v) !== 0 },
  { name: new RegExp(`^${SERVICE}_PORT_(\\d+)_(?:${PROTOCOLS.join('|')})_PORT$`), value: (v, [port]) => v === port },
  { name: new RegExp(`^${SERVICE}_PORT_\\d+_(${PROTOCOLS.join('|')})_PROTO$`), value: (v, [protocol]) => v === protocol!.toLowerCase() },
];

/** True when `name=value` is one of the variables the kubelet writes for a Service. */
export function isServiceLink(name: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  return SHAPES.some((shape) => {
    const match = shape.name.exec(name);
    return match !== null && shape.value(value, match.slice(1));
  });
}
