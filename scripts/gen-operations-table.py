#!/usr/bin/env python3
"""Writes docs/cognito-operations.md: every operation of the Cognito user-pool and identity-pool models, and whether
Gatehouse serves it (an operation is served when its module registers it: service.register("Name", …)).

usage: gen-operations-table.py MODELS_DIR > docs/cognito-operations.md
"""
import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTES = {
    "UpdateUserPool": "members left out go back to defaults, except those AWS keeps (name, policies, deletion "
                      "protection, tier, account recovery, MFA factors); MFA ON/OPTIONAL needs a factor on (an "
                      "SmsConfiguration given with it turns SMS MFA on)",
    "UpdateUserPoolClient": "members left out go back to defaults; name and secret kept",
    "DeleteUserPool": "removes users (their tokens are refused from then on), auth events, groups, clients, "
                      "providers, resource servers and signing keys; refused while deletion protection is on or a "
                      "domain is attached",
    "AdminListUserAuthEvents": "pools with threat protection (AUDIT/ENFORCED, PLUS tier); sign-in, sign-up, "
                               "forgot-password, resend-code and password-change events, 50 per user; no risk scoring",
    "AdminUpdateAuthEventFeedback": "stored on the event",
    "UpdateAuthEventFeedback": "no feedback tokens exist (Gatehouse sends no risk notification emails)",
    "TagResource": "the pool's tags (UserPoolTags, IdentityPoolTags)",
    "MergeDeveloperIdentities": "the source identity is deleted; its logins move to the destination",
    "UnlinkDeveloperIdentity": "unlinking the last login deletes the identity",
    "DeleteIdentities": "unknown ids count as deleted",
    "CreateIdentityProvider": "stored and described; no federated sign-in (no hosted UI)",
    "CreateUserPoolDomain": "stored and shown on the pool; no hosted UI is served on it",
    "CreateUserPool": "MfaConfiguration ON/OPTIONAL needs an SmsConfiguration and turns SMS MFA on (TOTP and email "
                      "MFA through SetUserPoolMfaConfig); SMS messages go to the outbox (no SMS gateway); "
                      "LambdaConfig triggers run (docs/triggers.md) except UserMigration and the custom senders, "
                      "which are stored only",
    "SetUserPoolMfaConfig": "SMS, software token (TOTP) and email MFA; SmsConfiguration is stored, SMS codes go to "
                            "the outbox; no WebAuthn",
    "SetUserMFAPreference": "SMS, TOTP and email factors; WebAuthn refused",
    "AdminSetUserMFAPreference": "as SetUserMFAPreference",
    "SetUserSettings": "legacy: an SMS option turns SMS MFA on, an empty list off",
    "AdminSetUserSettings": "as SetUserSettings",
    "AssociateSoftwareToken": "by AccessToken, or by the Session of an MFA_SETUP challenge",
    "VerifySoftwareToken": "RFC 6238 (SHA-1, 6 digits, 30 s, one step of skew); a code is accepted once",
    "RespondToAuthChallenge": "NEW_PASSWORD_REQUIRED, PASSWORD_VERIFIER, MFA_SETUP (by TOTP or EMAIL), "
                              "SOFTWARE_TOKEN_MFA, SMS_MFA, EMAIL_OTP, SELECT_MFA_TYPE, CUSTOM_CHALLENGE "
                              "(docs/custom-auth.md)",
    "InitiateAuth": "USER_PASSWORD_AUTH, USER_SRP_AUTH, REFRESH_TOKEN_AUTH, CUSTOM_AUTH with the challenge triggers "
                    "(docs/custom-auth.md)",
    "AdminInitiateAuth": "as InitiateAuth, and ADMIN_USER_PASSWORD_AUTH",
    "AdminRespondToAuthChallenge": "as RespondToAuthChallenge",
    "GetOpenIdTokenForDeveloperIdentity": "its token is accepted by GetCredentialsForIdentity under cognito-identity.amazonaws.com",
    "AdminResetUserPassword": "code by email only (no SMS)",
}


def served(module):
    names = set()
    for path in (ROOT / module / "src/main/java").rglob("*.java"):
        names.update(re.findall(r'register\(\s*"(\w+)"', path.read_text()))
    return names


def table(title, model, names):
    operations = sorted(json.load(open(model))["operations"])
    done = [op for op in operations if op in names]
    print(f"## {title}: {len(done)} of {len(operations)}\n")
    print("| Operation | Served | Notes |")
    print("|---|---|---|")
    for op in operations:
        print(f"| {op} | {'yes' if op in names else 'no'} | {NOTES.get(op, '')} |")
    print()


def main(models):
    models = pathlib.Path(models)
    print("# Cognito operations served by Gatehouse\n")
    print("Every operation of the Cognito service models (botocore `cognito-idp` 2016-04-18 and `cognito-identity`")
    print("2014-06-30), and whether the jar answers it. An operation marked *no* answers `UnknownOperationException`.")
    print("Input is checked against the same models (types, lengths, patterns, enums). Regenerate with")
    print("`scripts/gen-operations-table.py <models dir> > docs/cognito-operations.md`.\n")
    table("User pools (cognito-idp)", models / "botocore_cognito-idp_2016-04-18_service-2.json", served("userpool"))
    table("Identity pools (cognito-identity)", models / "botocore_cognito-identity_2014-06-30_service-2.json",
          served("identity"))


if __name__ == "__main__":
    main(sys.argv[1])
