//! Accounts: who may use the API, and which caller ids each may use.

use ringside_call::AccountSid;

/// One account's credentials and caller ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// The `AC…` sid: the Basic auth user name and the path's `{AccountSid}`.
    pub sid: AccountSid,
    /// The AuthToken: the Basic auth password and the webhook signing key.
    pub token: String,
    /// The caller ids the account owns or has verified (10 digits). `None` accepts every
    /// US number: a simulator user should not have to register the documented example
    /// numbers first.
    pub caller_ids: Option<Vec<String>>,
}

impl Account {
    /// An account that may use any caller id.
    pub fn new(sid: AccountSid, token: impl Into<String>) -> Self {
        Account {
            sid,
            token: token.into(),
            caller_ids: None,
        }
    }

    /// A fresh account with a random sid and token.
    pub fn generate() -> Self {
        Account::new(crate::sid::account_sid(), crate::sid::auth_token())
    }

    /// Whether the account may use `caller` (10 digits) as caller id.
    pub fn may_call_from(&self, caller: &str) -> bool {
        self.caller_ids
            .as_ref()
            .is_none_or(|ids| ids.iter().any(|id| id == caller))
    }
}

/// Every account the server knows.
#[derive(Debug, Clone, Default)]
pub struct Accounts(Vec<Account>);

impl Accounts {
    /// These accounts.
    pub fn new(accounts: Vec<Account>) -> Self {
        Accounts(accounts)
    }

    /// The account with this sid.
    pub fn get(&self, sid: AccountSid) -> Option<&Account> {
        self.0.iter().find(|a| a.sid == sid)
    }

    /// All accounts, in the order given.
    pub fn iter(&self) -> impl Iterator<Item = &Account> {
        self.0.iter()
    }
}
