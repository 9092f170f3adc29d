namespace AsyncSmtp.Client.Delivery;

internal static class Cancellable
{
    /// <summary>
    /// Waits for <paramref name="task"/>, or throws when the token is cancelled first (no registration left).
    /// </summary>
    public static async Task WaitAsync(Task task, CancellationToken cancellationToken)
    {
        if (!cancellationToken.CanBeCanceled || task.IsCompleted)
        {
            await task.ConfigureAwait(false);
            return;
        }
        var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using (cancellationToken.Register(() => cancelled.TrySetResult(true)))
        {
            if (await Task.WhenAny(task, cancelled.Task).ConfigureAwait(false) != task)
                throw new OperationCanceledException(cancellationToken);
        }
        await task.ConfigureAwait(false);
    }
}
