import type { Generated } from 'kysely';

/**
 * Row shapes of every table. Times are epoch milliseconds (bigint), flags are 0/1 integers and
 * structured values are JSON text, so one set of queries serves SQLite and PostgreSQL alike.
 */
export interface Database {
  user_pools: UserPoolRow;
  user_pool_clients: UserPoolClientRow;
  users: UserRow;
  groups: GroupRow;
  group_members: GroupMemberRow;
  codes: CodeRow;
  refresh_tokens: RefreshTokenRow;
  signing_keys: SigningKeyRow;
  inbox: InboxRow;
  audit_events: AuditEventRow;
  rate_counters: RateCounterRow;
  settings: SettingRow;
  devices: DeviceRow;
  webauthn_credentials: WebAuthnCredentialRow;
  domains: DomainRow;
  resource_servers: ResourceServerRow;
  authorization_codes: AuthorizationCodeRow;
  ui_customizations: UiCustomizationRow;
  managed_login_brandings: ManagedLoginBrandingRow;
  managed_login_assets: ManagedLoginAssetRow;
  identity_providers: IdentityProviderRow;
  identity_provider_identifiers: IdentityProviderIdentifierRow;
  linked_identities: LinkedIdentityRow;
  trigger_invocations: TriggerInvocationRow;
  risk_configurations: RiskConfigurationRow;
  identity_pools: IdentityPoolRow;
  iam_roles: IamRoleRow;
  iam_saml_providers: IamSamlProviderRow;
  iam_role_policies: IamRolePolicyRow;
  iam_policies: IamPolicyRow;
  iam_role_attachments: IamRoleAttachmentRow;
  user_import_jobs: UserImportJobRow;
  user_import_files: UserImportFileRow;
  terms: TermsRow;
  log_delivery_configurations: LogDeliveryConfigurationRow;
  user_pool_replicas: UserPoolReplicaRow;
  identities: IdentityRow;
  identity_logins: IdentityLoginRow;
  principal_tag_maps: PrincipalTagMapRow;
  sts_sessions: StsSessionRow;
  gateway_apis: GatewayApiRow;
  sync_datasets: SyncDatasetRow;
  sync_records: SyncRecordRow;
  sync_pool_settings: SyncPoolSettingsRow;
  sync_devices: SyncDeviceRow;
  sync_subscriptions: SyncSubscriptionRow;
  sync_used_tokens: SyncUsedTokenRow;
}

export interface UserPoolRow {
  id: string;
  name: string;
  region: string;
  /** JSON of the pool's configuration (UserPoolType without identity and dates). */
  config: string;
  created_at: number;
  updated_at: number;
}

export interface UserPoolClientRow {
  client_id: string;
  pool_id: string;
  name: string;
  /** JSON of the client's configuration (UserPoolClientType without identity, secret and dates). */
  config: string;
  /** Sealed JSON list of the client's secrets. */
  secrets: string | null;
  created_at: number;
  updated_at: number;
}

export interface UserRow {
  pool_id: string;
  username: string;
  /** The username as looked up: lowercased in case-insensitive pools. Primary key with pool_id. */
  username_key: string;
  sub: string;
  status: string;
  enabled: number;
  /** JSON object of the user's attributes (name → string value), sub included. */
  attributes: string;
  password_hash: string | null;
  password_changed_at: number | null;
  /** Searchable copies of attributes, lowercased where Cognito searches case-insensitively. */
  email_key: string | null;
  email_verified: number;
  phone_number: string | null;
  phone_verified: number;
  preferred_username_key: string | null;
  name_key: string | null;
  given_name_key: string | null;
  family_name_key: string | null;
  /** Access tokens issued before this instant are revoked (GlobalSignOut). */
  tokens_valid_after: number;
  /** JSON for MFA settings and other per-user state that later features add. */
  extra: string;
  created_at: number;
  updated_at: number;
}

export interface GroupRow {
  pool_id: string;
  name: string;
  description: string | null;
  role_arn: string | null;
  precedence: number | null;
  created_at: number;
  updated_at: number;
}

export interface GroupMemberRow {
  pool_id: string;
  group_name: string;
  username_key: string;
}

export interface CodeRow {
  id: string;
  pool_id: string;
  username_key: string;
  purpose: string;
  code_hash: string;
  expires_at: number;
  attempts: number;
  created_at: number;
}

export interface RefreshTokenRow {
  token_hash: string;
  pool_id: string;
  client_id: string;
  username_key: string;
  origin_jti: string;
  auth_time: number;
  device_key: string | null;
  scopes: string;
  expires_at: number;
  revoked_at: number | null;
  replaced_at: number | null;
  created_at: number;
}

export interface SigningKeyRow {
  kid: string;
  pool_id: string;
  purpose: string;
  private_key: string;
  public_jwk: string;
  status: string;
  created_at: number;
}

export interface InboxRow {
  id: Generated<number>;
  pool_id: string;
  username: string;
  destination: string;
  medium: string;
  purpose: string;
  /** The code, subject and message, sealed together (see SqlInboxStore). */
  sealed: string;
  created_at: number;
  expires_at: number;
}

export interface AuditEventRow {
  id: Generated<number>;
  at: number;
  event: string;
  outcome: string;
  user_pool_id: string | null;
  client_id: string | null;
  actor: string | null;
  username: string | null;
  sub: string | null;
  source_ip: string | null;
  request_id: string | null;
  error: string | null;
  /** JSON of named, non-secret identifiers (flow, challenge, group, ...). */
  detail: string | null;
  /** The EventId AdminListUserAuthEvents shows; null on rows written before migration 0014. */
  event_id: string | null;
  /** JSON of the event's feedback (AdminUpdateAuthEventFeedback, UpdateAuthEventFeedback). */
  feedback: string | null;
}

/** SetRiskConfiguration's settings for one app client, or the pool's default under `ALL`. */
export interface RiskConfigurationRow {
  pool_id: string;
  client_id: string;
  /** JSON of the RiskConfigurationType members that were set. */
  config: string;
  updated_at: number;
}

export interface TriggerInvocationRow {
  id: Generated<number>;
  pool_id: string;
  at: number;
  function_arn: string;
  trigger_source: string | null;
  mode: string;
  duration_ms: number;
  outcome: string;
  detail: string | null;
  logs: string | null;
}

export interface RateCounterRow {
  key: string;
  window_start: number;
  count: number;
}

export interface SettingRow {
  key: string;
  value: string;
}

export interface DeviceRow {
  pool_id: string;
  /** `<region>_<uuid>`; primary key with pool_id. */
  device_key: string;
  username_key: string;
  device_group_key: string;
  /** `unconfirmed` until ConfirmDevice, then `confirmed`. */
  status: string;
  /** `remembered` or `not_remembered`. */
  remembered_status: string;
  name: string | null;
  last_ip_used: string | null;
  /** Sealed JSON of the device's SRP salt and verifier; null until ConfirmDevice. */
  verifier: string | null;
  created_at: number;
  last_modified_at: number;
  last_authenticated_at: number | null;
}

export interface ResourceServerRow {
  pool_id: string;
  /** Primary key with pool_id; the prefix of its custom scopes (`<identifier>/<scope>`). */
  identifier: string;
  name: string;
  /** JSON array of `{ ScopeName, ScopeDescription }`, in the order given. */
  scopes: string;
  created_at: number;
  updated_at: number;
}

export interface DomainRow {
  /** The prefix or the custom domain's FQDN; unique across every pool. */
  domain: string;
  pool_id: string;
  /** `prefix` or `custom`; unique with pool_id. */
  kind: string;
  /** JSON of CustomDomainConfig; null for prefix domains. */
  custom_domain_config: string | null;
  managed_login_version: number;
  cloudfront_distribution: string;
  version: string;
  created_at: number;
  updated_at: number;
}

export interface IdentityProviderRow {
  pool_id: string;
  /** ProviderName; primary key with pool_id. */
  name: string;
  /** ProviderType: SAML, OIDC, Google, Facebook, LoginWithAmazon, SignInWithApple. */
  type: string;
  /** Sealed JSON of ProviderDetails (client_secret, SAML keys). */
  details: string;
  /** JSON of AttributeMapping (pool attribute → upstream attribute). */
  attribute_mapping: string;
  /** JSON array of IdpIdentifiers, in the order given (identity_provider_identifiers indexes them). */
  idp_identifiers: string;
  created_at: number;
  updated_at: number;
}

export interface IdentityProviderIdentifierRow {
  pool_id: string;
  /** Primary key with pool_id: an identifier routes to one provider of the pool. */
  identifier: string;
  provider_name: string;
}

export interface LinkedIdentityRow {
  pool_id: string;
  provider_name: string;
  /** `Cognito_Subject` or a SAML attribute name. */
  attribute_name: string;
  attribute_value: string;
  /** The native user the upstream identity signs in as. */
  username_key: string;
  created_at: number;
}

export interface ManagedLoginBrandingRow {
  /** ManagedLoginBrandingId: a version 4 UUID. */
  id: string;
  pool_id: string;
  /** The app client the style is assigned to; unique within the pool. */
  client_id: string;
  use_cognito_provided_values: number;
  /** The Settings document as JSON text; null when none was given. */
  settings: string | null;
  created_at: number;
  updated_at: number;
}

export interface ManagedLoginAssetRow {
  pool_id: string;
  branding_id: string;
  /** AssetCategoryType; primary key with branding_id and color_mode. */
  category: string;
  /** ColorSchemeModeType: LIGHT, DARK or DYNAMIC. */
  color_mode: string;
  /** AssetExtensionType: ICO, JPEG, PNG, SVG or WEBP. */
  extension: string;
  resource_id: string | null;
  /** Hex digest of the bytes (the cache version of the asset's URL). */
  digest: string;
  /** The image's bytes in base64. */
  bytes: string;
}

export interface UiCustomizationRow {
  pool_id: string;
  /** An app client ID, or `ALL` for the pool's default; primary key with pool_id. */
  client_id: string;
  css: string | null;
  /** `image/png` or `image/jpeg`; null without a logo. */
  logo_type: string | null;
  /** Hex digest of the logo's bytes; null without a logo. */
  logo_digest: string | null;
  /** The logo's bytes in base64, so one text column serves both engines; null without a logo. */
  logo: string | null;
  css_version: string;
  created_at: number;
  updated_at: number;
}

export interface AuthorizationCodeRow {
  /** SHA-256 hex of the code; the primary key. */
  code_hash: string;
  pool_id: string;
  client_id: string;
  username_key: string;
  redirect_uri: string;
  /** JSON array of the granted scopes. */
  scopes: string;
  nonce: string | null;
  code_challenge: string | null;
  code_challenge_method: string | null;
  auth_time: number;
  origin_jti: string;
  expires_at: number;
  /** Set once, by the exchange that spends the code. */
  consumed_at: number | null;
  created_at: number;
}

export interface WebAuthnCredentialRow {
  pool_id: string;
  /** base64url; primary key with pool_id. */
  credential_id: string;
  username_key: string;
  /** The COSE public key, base64url. */
  public_key: string;
  sign_count: number;
  rp_id: string;
  friendly_name: string;
  attachment: string | null;
  /** JSON array of transport names. */
  transports: string;
  created_at: number;
}

/** An identity pool (Cognito Identity). */
export interface IdentityPoolRow {
  /** `<region>:<uuid>`. */
  id: string;
  name: string;
  /** JSON of the pool's settings (IdentityPool less its ID, name and tags). */
  config: string;
  /** JSON object of the pool's tags. */
  tags: string;
  /** JSON of the pool's roles and role mappings (SetIdentityPoolRoles); `{}` until set. */
  roles: Generated<string>;
  created_at: number;
  updated_at: number;
}

export interface UserImportJobRow {
  pool_id: string;
  /** `import-<random>`; primary key with pool_id. */
  job_id: string;
  job_name: string;
  role_arn: string;
  status: string;
  /** SHA-256 hex of the upload URL's token. */
  upload_token_hash: string;
  /** The upload URL, sealed. */
  upload_url: string;
  upload_expires_at: number;
  imported_users: number;
  skipped_users: number;
  failed_users: number;
  completion_message: string | null;
  created_at: number;
  started_at: number | null;
  completed_at: number | null;
}

/** The CSV uploaded for a user import job, once the PUT arrived. */
export interface UserImportFileRow {
  pool_id: string;
  job_id: string;
  csv: string;
}

export interface IdentityRow {
  /** `<region>:<uuid>`. */
  id: string;
  identity_pool_id: string;
  created_at: number;
  updated_at: number;
}

/** A login linked to an identity: the provider's name (a `Logins` key) and the subject it asserts. */
export interface IdentityLoginRow {
  identity_pool_id: string;
  provider_name: string;
  subject: string;
  identity_id: string;
}

/** An identity pool provider's principal tag map (SetPrincipalTagAttributeMap). */
export interface PrincipalTagMapRow {
  identity_pool_id: string;
  /** The provider's name, a user pool's in Cognito's form. */
  provider_name: string;
  /** 1 when the default mappings apply. */
  use_defaults: number;
  /** JSON object: tag key → claim. */
  principal_tags: string;
}

/** An STS session: temporary credentials Cognate issued. */
export interface StsSessionRow {
  /** `ASIA` and 16 upper-case letters and digits. */
  access_key_id: string;
  /** The secret access key, sealed to its access key id. */
  secret: string;
  /** SHA-256 hex of the session token. */
  token_hash: string;
  role_arn: string;
  session_name: string;
  subject: string;
  source: string;
  created_at: number;
  expires_at: number;
  /** 1 once revoked. */
  revoked: number;
  /** JSON object of the session's principal tags, `{}` for none. */
  principal_tags: string;
}

/** A terms document of an app client (CreateTerms). */
export interface TermsRow {
  pool_id: string;
  /** A UUID; primary key with pool_id. */
  terms_id: string;
  client_id: string;
  /** `terms-of-use` or `privacy-policy`; unique per client. */
  terms_name: string;
  terms_source: string;
  enforcement: string;
  /** JSON object of language ID (`cognito:default`, `cognito:french`, ...) → URL. */
  links: string;
  created_at: number;
  updated_at: number;
}

/** A pool's log delivery configuration (SetLogDeliveryConfiguration). */
export interface LogDeliveryConfigurationRow {
  pool_id: string;
  /** JSON array of LogConfigurationType, as given. */
  configurations: string;
  updated_at: number;
}

/** A secondary replica of a pool in another Region (CreateUserPoolReplica). */
export interface UserPoolReplicaRow {
  pool_id: string;
  /** Primary key with pool_id. */
  region_name: string;
  /** `ACTIVE` or `INACTIVE`. */
  status: string;
  /** JSON object of the replica's own tags. */
  tags: string;
  created_at: number;
  updated_at: number;
}

/** An IAM role. */
export interface IamSamlProviderRow {
  /** The name in lower case: names are unique regardless of case. */
  name_key: string;
  name: string;
  arn: string;
  uuid: string;
  /** The IdP's SAML metadata document, as given. */
  metadata: string;
  created_at: number;
}

export interface IamRoleRow {
  /** The name in lower case: IAM's names are unique regardless of case. */
  name_key: string;
  name: string;
  path: string;
  /** `AROA…`. */
  id: string;
  arn: string;
  /** The trust policy document, as the caller sent it. */
  trust_policy: string;
  description: string | null;
  max_session_duration: number;
  created_at: number;
}

/** An inline policy of an IAM role. */
export interface IamRolePolicyRow {
  role_key: string;
  name_key: string;
  name: string;
  document: string;
}

/** A customer managed IAM policy (its one, default, version). */
export interface IamPolicyRow {
  name_key: string;
  name: string;
  path: string;
  /** `ANPA…`. */
  id: string;
  arn: string;
  document: string;
  description: string | null;
  created_at: number;
}

/** A managed policy attached to a role. */
export interface IamRoleAttachmentRow {
  role_key: string;
  policy_arn: string;
}

export interface GatewayApiRow {
  id: string;
  /** JSON of the API's definition, as the `gatewayApis` setting holds one. */
  definition: string;
  updated_at: number;
}
/** A Cognito Sync dataset of an identity; a tombstone when `deleted` is 1. */
export interface SyncDatasetRow {
  identity_id: string;
  name: string;
  identity_pool_id: string;
  sync_count: number;
  deleted: number;
  num_records: number;
  data_storage: number;
  last_modified_by: string;
  created_at: number;
  updated_at: number;
}

/** A record of a dataset; `value` null once removed. */
export interface SyncRecordRow {
  identity_id: string;
  dataset_name: string;
  record_key: string;
  identity_pool_id: string;
  value: string | null;
  sync_count: number;
  last_modified_by: string;
  updated_at: number;
  device_updated_at: number | null;
}

/** An identity pool's Cognito Sync settings; JSON text for the structured ones. */
export interface SyncPoolSettingsRow {
  identity_pool_id: string;
  events: string;
  push_sync: string | null;
  cognito_streams: string | null;
  bulk_publish_status: string;
  bulk_publish_started_at: number | null;
  bulk_publish_completed_at: number | null;
  bulk_publish_failure: string | null;
  sync_sessions: number;
  updated_at: number;
}

/** A device registered for push sync (RegisterDevice). */
export interface SyncDeviceRow {
  device_id: string;
  identity_pool_id: string;
  identity_id: string;
  platform: string;
  token: string;
  created_at: number;
}

/** A device's subscription to a dataset's changes. */
export interface SyncSubscriptionRow {
  identity_id: string;
  dataset_name: string;
  device_id: string;
  identity_pool_id: string;
}

/** A sync session token UpdateRecords has used, kept until it would have expired anyway. */
export interface SyncUsedTokenRow {
  token_id: string;
  expires_at: number;
}
