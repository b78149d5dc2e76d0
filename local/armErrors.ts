// ARM error bodies as Azure Resource Manager writes them, so the SDKs turn them into a RestError
// whose `code` is the ARM code (core-client reads `error.code` / `error.message`).

export interface ArmErrorBody {
  error: { code: string; message: string };
}

export interface ArmErrorReply {
  status: number;
  body: ArmErrorBody;
  headers?: Record<string, string>;
}

function reply(status: number, code: string, message: string, headers?: Record<string, string>): ArmErrorReply {
  return headers ? { status, body: { error: { code, message } }, headers } : { status, body: { error: { code, message } } };
}

export const armErrors = {
  authenticationFailed: (): ArmErrorReply =>
    reply(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing.", {
      'www-authenticate':
        'Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token", ' +
        'error_description="The authentication failed because of missing \'Authorization\' header."',
    }),
  missingApiVersion: (): ArmErrorReply =>
    reply(400, 'MissingApiVersionParameter', "The api-version query parameter (?api-version=) is required for all requests."),
  invalidSkipToken: (token: string): ArmErrorReply =>
    reply(400, 'InvalidSkipToken', `The skip token '${token}' is not valid.`),
  methodNotAllowed: (method: string): ArmErrorReply =>
    reply(405, 'MethodNotAllowed', `The requested resource does not support http method '${method}'.`, { allow: 'GET' }),
  subscriptionNotFound: (subscriptionId: string): ArmErrorReply =>
    reply(404, 'SubscriptionNotFound', `The subscription '${subscriptionId}' could not be found.`),
  invalidResourceType: (type: string, namespace: string, apiVersion: string): ArmErrorReply =>
    reply(
      404,
      'InvalidResourceType',
      `The resource type '${type}' could not be found in the namespace '${namespace}' for api version '${apiVersion}'.`,
    ),
  noRoute: (path: string): ArmErrorReply =>
    reply(404, 'NotFound', `No HTTP resource was found that matches the request URI 'https://management.azure.com${path}'.`),
  internal: (detail: string): ArmErrorReply =>
    reply(500, 'InternalServerError', `The ARM stand-in failed to serve the request: ${detail}`),
};
