// Public API of @vault/profiles: reading the AWS config and credentials files and resolving a profile into the
// chain of credentials that produces it. Pure apart from readConfigFile; never prints, never touches the network.
export type { ProfileValues, ConfigFile, Hop, Base, Chain, PassThrough, SsoSettings, CredentialSourceName } from './types.js';
export {
  ProfileError,
  ConfigParseError,
  ConfigReadError,
  UnknownProfileError,
  MissingSourceError,
  NoCredentialsError,
  ProfileCycleError,
  ChainTooLongError,
  InvalidProfileValueError,
  UnsupportedProfileError,
  type UnknownProfileDetail,
} from './errors.js';
export { configPath, credentialsPath, expandHome } from './paths.js';
export { parseConfigText } from './parse.js';
export { removeProfileKeys, setProfileValues, type Setting } from './edit.js';
export { sectionHeader } from './section-names.js';
export { profileName, ssoSessionName } from './section-names.js';
export { readConfigFile, readConfigText } from './read-config.js';
export { profileEndpointSettings, resolveProfile, MAX_CHAIN_PROFILES, type EndpointSettings, type ResolveOptions } from './resolve.js';
export { suggestProfiles } from './suggest.js';
export { configProfileNames, listProfileNames } from './list.js';
export { checkValue } from './validate.js';
export { parseSessionTags, parseTagKeys } from './session-tags.js';
export { DEFAULT_FALLBACK_KEYS, unknownIncludes } from './settings.js';
