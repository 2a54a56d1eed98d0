using System.Buffers;
using System.IO.Pipelines;
using FuncAuth.Accounts;
using FuncAuth.Email;
using FuncAuth.Storage;

namespace FuncAuth.Import;

/// <summary>How an import went: its lines' outcomes, and the line it stopped at if storage failed.</summary>
internal sealed record ImportTally(long Lines, long Created, long Existing, long Refused, long? StoppedAt);

/// <summary>
/// Imports users from newline-delimited JSON, streamed: lines are read as they arrive, up to <see cref="MaxInFlight"/> users
/// are written at once, and each line's result is written in input order as soon as it and those before it are decided, so
/// memory stays flat however large the file. Idempotent: a name that has an account answers <c>exists</c> and nothing of it
/// changes, so a file sent again (after a fault, say) answers <c>exists</c> for what the first run made.
/// </summary>
internal sealed class UserImporter(UserStore users, EmailAddressStore addresses, TimeProvider time)
{
    /// <summary>A line longer than this is refused unread (skipped to its newline); a user's line is a few hundred bytes.</summary>
    public const int MaxLineBytes = 16 * 1024;

    /// <summary>Users being written at once: enough to keep Table Storage busy, few enough to bound what is held.</summary>
    public const int MaxInFlight = 32;

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>
    /// Reads every line of <paramref name="input"/> and writes each one's result to <paramref name="output"/>. A storage fault
    /// before any result was written propagates (the runner answers 503, nothing of the answer having been sent); after, the
    /// status is already sent, so a last line says where the import stopped and why, and the rest of the input is not read.
    /// </summary>
    public async Task<ImportTally> ImportAsync(PipeReader input, ImportResultWriter output, CancellationToken cancellationToken)
    {
        var pending = new Queue<(long Line, Task<ImportLineResult> Result)>();
        var tally = new Counts();
        long lineNumber = 0;
        var skipping = false;
        try
        {
            while (true)
            {
                if (!input.TryRead(out var read))
                {
                    // Nothing more has arrived yet: hand over what is decided before waiting for it.
                    await WriteDecidedAsync(pending, output, tally, drain: false, cancellationToken);
                    read = await input.ReadAsync(cancellationToken);
                }

                var buffer = read.Buffer;
                while (buffer.PositionOf((byte)'\n') is { } newline)
                {
                    var line = buffer.Slice(0, newline);
                    buffer = buffer.Slice(buffer.GetPosition(1, newline));
                    if (skipping)
                    {
                        // The rest of a line already refused as too long.
                        skipping = false;
                        continue;
                    }

                    await AddAsync(pending, Decide(++lineNumber, line), output, tally, cancellationToken);
                }

                if (!skipping && buffer.Length > MaxLineBytes)
                {
                    // No newline within the limit: refused now, and what follows up to its newline is dropped unread.
                    await AddAsync(pending, (++lineNumber, Task.FromResult(TooLong(lineNumber))), output, tally, cancellationToken);
                    skipping = true;
                }

                if (skipping)
                {
                    buffer = buffer.Slice(buffer.End);
                }

                if (read.IsCompleted)
                {
                    if (!buffer.IsEmpty)
                    {
                        // The last line, without a newline.
                        await AddAsync(pending, Decide(++lineNumber, buffer), output, tally, cancellationToken);
                    }

                    input.AdvanceTo(read.Buffer.End);
                    break;
                }

                input.AdvanceTo(buffer.Start, buffer.End);
            }

            await WriteDecidedAsync(pending, output, tally, drain: true, cancellationToken);
            return tally.ToTally(lineNumber, stoppedAt: null);
        }
        catch (StorageUnavailableException) when (output.Started)
        {
            var stoppedAt = tally.NextLine ?? lineNumber;
            await AbandonAsync(pending);
            await output.WriteAsync(new ImportLineResult(stoppedAt, null, null, ImportLineResult.Stopped,
                $"The user store became unavailable: the import stopped at line {stoppedAt}. The lines before it are answered above; " +
                "this one and those after it may or may not have been imported. Send the file again: lines already imported answer " +
                "\"exists\" and change nothing."), cancellationToken);
            return tally.ToTally(lineNumber, stoppedAt);
        }
        catch
        {
            // Nothing is sent yet (the runner answers 503), or the client has gone: let the users in flight finish first.
            await AbandonAsync(pending);
            throw;
        }
    }

    /// <summary>Imports one checked line: never half a user (an address claimed for an account that is not written is given back).</summary>
    internal async Task<ImportLineResult> ImportAsync(ImportLine line)
    {
        // Started lines run to the end whatever the request does: a claim without its account is what a cancellation
        // in between would leave.
        var ct = CancellationToken.None;
        var name = line.Username.Display;

        // A line carrying an id is read first: sent again, its own id and address would look like a lost answer's retry to
        // the inserts below ("ours"), and it would be answered "created" instead of "exists". A line without an id gets a
        // fresh id, which no row holds: it is inserted straight away and the table's 409 says the name is taken, so the
        // happy path is two or three inserts and no read (the throughput of bench/run's import step).
        if (line.Id is not null && await users.FindAsync(line.Username, ct) is { } existing)
        {
            return Exists(line.Number, existing);
        }

        var account = new UserAccount(
            line.Username.Key, line.Id ?? Guid.NewGuid().ToString("D"), name, line.PasswordHash ?? PasswordHasher.NoPassword, default,
            SecurityStamp: SecurityStamp.New(), Email: line.Email?.Value, EmailConfirmed: line.EmailConfirmed, CreatedAt: time.GetUtcNow(),
            Roles: line.Roles);

        // As a registration does: the address claimed first, then the user added; the claim is what makes it one account's.
        if (line.Email is { } email && !await addresses.TryClaimAsync(email, account.Key, account.Id, ct))
        {
            // Held by another user, or by this very name imported before (a file sent again): the name decides.
            return await users.FindAsync(line.Username, ct) is { } holder
                ? Exists(line.Number, holder)
                : ImportLineResult.Refuse(line.Number, name, "The email address belongs to another user.");
        }

        var added = await users.TryAddAsync(account, ct);
        if (added == UserAdded.Added)
        {
            return new ImportLineResult(line.Number, name, account.Id, ImportLineResult.Created);
        }

        if (line.Email is { } claimed)
        {
            await ReleaseAsync(claimed, account.Id, ct);
        }

        return added == UserAdded.UsernameTaken
            ? new ImportLineResult(line.Number, name, (await users.FindAsync(line.Username, ct))?.Id, ImportLineResult.Exists)
            : ImportLineResult.Refuse(line.Number, name, "The id belongs to another user.");
    }

    private static ImportLineResult Exists(long number, UserAccount existing) =>
        new(number, existing.Username, existing.Id, ImportLineResult.Exists);

    /// <summary>
    /// Gives back an address claimed for an account that was not written, unless an account with the same id holds it: a
    /// line carrying an existing user's id and address finds that user's claim already there ("ours" to the claim), and
    /// that claim is the existing user's, not this line's to release.
    /// </summary>
    private async Task ReleaseAsync(EmailAddress address, string userId, CancellationToken cancellationToken)
    {
        if (await addresses.FindHolderAsync(address, cancellationToken) is null)
        {
            await addresses.ReleaseAsync(address, userId, cancellationToken);
        }
    }

    /// <summary>A line's result, decided at once (refused, or blank: null) or being decided (a user being written).</summary>
    private (long Line, Task<ImportLineResult>? Result) Decide(long number, ReadOnlySequence<byte> raw)
    {
        if (raw.Length > MaxLineBytes)
        {
            return (number, Task.FromResult(TooLong(number)));
        }

        ReadOnlyMemory<byte> bytes = raw.ToArray();
        if (bytes.Span.EndsWith((byte)'\r'))
        {
            bytes = bytes[..^1];
        }

        if (number == 1 && bytes.Span.StartsWith(Utf8Bom))
        {
            bytes = bytes[Utf8Bom.Length..];
        }

        if (bytes.Span.Trim(" \t"u8).IsEmpty)
        {
            // A blank line (a trailing one, say) is no user: counted, not answered.
            return (number, null);
        }

        var (line, refused) = ImportLine.Parse(number, bytes);
        return (number, line is null ? Task.FromResult(refused!) : ImportAsync(line));
    }

    private static async Task AddAsync(
        Queue<(long Line, Task<ImportLineResult> Result)> pending, (long Line, Task<ImportLineResult>? Result) decided, ImportResultWriter output, Counts tally,
        CancellationToken cancellationToken)
    {
        if (decided.Result is null)
        {
            return;
        }

        pending.Enqueue((decided.Line, decided.Result));
        await WriteDecidedAsync(pending, output, tally, drain: false, cancellationToken);
    }

    /// <summary>
    /// Writes the results at the head of the queue that are decided, in order; waits for the head while the queue is full (so
    /// at most <see cref="MaxInFlight"/> users are written at once), or until it is empty when <paramref name="drain"/>.
    /// </summary>
    private static async Task WriteDecidedAsync(
        Queue<(long Line, Task<ImportLineResult> Result)> pending, ImportResultWriter output, Counts tally, bool drain, CancellationToken cancellationToken)
    {
        while (pending.TryPeek(out var head) && (head.Result.IsCompleted || drain || pending.Count >= MaxInFlight))
        {
            tally.NextLine = head.Line;
            var result = await head.Result;
            pending.Dequeue();
            tally.Add(result);
            await output.WriteAsync(result, cancellationToken);
            tally.NextLine = null;
        }
    }

    /// <summary>Waits for the users still being written, whatever became of them: nothing runs on after the answer.</summary>
    private static async Task AbandonAsync(Queue<(long Line, Task<ImportLineResult> Result)> pending)
    {
        while (pending.TryDequeue(out var left))
        {
            try
            {
                await left.Result;
            }
            catch (Exception e) when (e is StorageUnavailableException or OperationCanceledException)
            {
            }
        }
    }

    private static ImportLineResult TooLong(long line) =>
        ImportLineResult.Refuse(line, null, $"The line is longer than {MaxLineBytes / 1024} KiB; it was skipped unread.");

    private sealed class Counts
    {
        public long Created { get; private set; }

        public long Existing { get; private set; }

        public long Refused { get; private set; }

        /// <summary>The line whose result is being awaited: where an import that fails there stopped.</summary>
        public long? NextLine { get; set; }

        public void Add(ImportLineResult result)
        {
            switch (result.Result)
            {
                case ImportLineResult.Created:
                    Created++;
                    break;
                case ImportLineResult.Exists:
                    Existing++;
                    break;
                default:
                    Refused++;
                    break;
            }
        }

        public ImportTally ToTally(long lines, long? stoppedAt) => new(lines, Created, Existing, Refused, stoppedAt);
    }
}
