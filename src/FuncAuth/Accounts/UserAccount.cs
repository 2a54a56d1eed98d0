using Azure;

namespace FuncAuth.Accounts;

/// <summary>A stored user. <see cref="Id"/> is stable and is what tokens name as <c>sub</c>.</summary>
internal sealed record UserAccount(string Key, string Id, string Username, string PasswordHash, ETag ETag);
