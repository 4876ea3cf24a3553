using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace WebApp.Web.Assessments;

/// <summary>
/// The pages of one assessment: load the view, run changes through the service, show refusals as they are and
/// conflicts as a warning, then reload so the changed item shows what is stored (never overwriting someone's edit).
/// </summary>
public abstract class AssessmentPageBase : ComponentBase
{
    [Parameter] public int Id { get; set; }
    [Inject] protected AssessmentService Service { get; set; } = default!;
    [Inject] protected ISnackbar Snackbar { get; set; } = default!;
    [Inject] protected NavigationManager Navigation { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    protected AssessmentSession? Session { get; private set; }
    /// <summary>Why the assessment could not be loaded (e.g. it does not exist).</summary>
    protected string? LoadError { get; private set; }

    protected override async Task OnParametersSetAsync() => await LoadAsync();

    protected async Task LoadAsync()
    {
        var user = (await AuthenticationState).User;
        try
        {
            var view = await Service.LoadAsync(Id);
            Session = new AssessmentSession(view, user, Service, RunAsync);
            LoadError = null;
        }
        catch (Exception e) when (e is KeyNotFoundException or AssessmentException or InvalidOperationException)
        {
            Session = null;
            LoadError = $"Assessment {Id} could not be loaded: {e.Message}";
        }
    }

    private async Task<bool> RunAsync(Func<Task> change, string? success)
    {
        try
        {
            await change();
            if (success is not null) Snackbar.Add(success, Severity.Success);
            return true;
        }
        catch (AssessmentConflictException e)
        {
            Snackbar.Add($"{e.Message} The page now shows what is stored.", Severity.Warning);
            return false;
        }
        catch (AssessmentException e)
        {
            Snackbar.Add(e.Message, Severity.Error);
            return false;
        }
        finally
        {
            await LoadAsync();
            StateHasChanged();
        }
    }
}
