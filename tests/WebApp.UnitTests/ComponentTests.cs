using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using WebApp.Domain.Identity;
using WebApp.Web.Admin;
using WebApp.Web.Components;

namespace WebApp.UnitTests;

[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.")]
public sealed class ComponentTests : IAsyncLifetime
{
    // MudBlazor's services are async-disposable only, so the context is disposed asynchronously.
    private readonly BunitContext _context = new();

    public ComponentTests()
    {
        _context.Services.AddMudServices();
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _context.DisposeAsync();

    private IRenderedComponent<T> Render<T>(Action<ComponentParameterCollectionBuilder<T>> parameters)
        where T : Microsoft.AspNetCore.Components.IComponent => _context.Render(parameters);

    [Fact]
    public void Role_picker_checks_the_selected_roles()
    {
        var cut = Render<RolePicker>(p => p.Add(c => c.Selected, [Roles.Curator]));

        var boxes = cut.FindAll("input[type=checkbox]");
        Assert.Equal(Roles.All.Count, boxes.Count);
        Assert.Equal(Roles.All.Select(r => r == Roles.Curator), boxes.Select(b => b.HasAttribute("checked") || b.GetAttribute("aria-checked") == "true"));
    }

    [Fact]
    public void Role_picker_reports_roles_in_catalogue_order_when_one_is_ticked()
    {
        IReadOnlyCollection<string>? reported = null;
        var cut = Render<RolePicker>(p => p
            .Add(c => c.Selected, [Roles.Auditor])
            .Add(c => c.SelectedChanged, roles => reported = roles));

        cut.FindAll("input[type=checkbox]")[0].Change(true);

        Assert.Equal([Roles.Admin, Roles.Auditor], reported);
    }

    [Fact]
    public void Empty_state_shows_its_title_and_explanation()
    {
        var cut = Render<EmptyState>(p => p
            .Add(c => c.Title, "Nothing here")
            .AddChildContent("Import something first."));

        Assert.Contains("Nothing here", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("Import something first.", cut.Markup, StringComparison.Ordinal);
    }
}
