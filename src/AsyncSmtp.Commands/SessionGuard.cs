using System.Management.Automation;
using AsyncSmtp.Client;

namespace AsyncSmtp.Commands;

/// <summary>The error for a session that is already closed (terminating: nothing more can go through it).</summary>
internal static class SessionGuard
{
    public static ErrorRecord ClosedError(SmtpSession session) =>
        SmtpErrorMapper.ToErrorRecord(new SmtpNotConnectedException($"The SMTP session to {session.Endpoint} is closed; open a new one with Connect-Smtp."),
            session.Endpoint, SmtpErrorIds.SessionClosed);
}
