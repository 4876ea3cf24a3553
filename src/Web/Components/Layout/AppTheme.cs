using MudBlazor;

namespace WebApp.Web.Components.Layout;

public static class AppTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1e5aa8",
            Secondary = "#8a4fbf",
            AppbarBackground = "#1e3a5f",
        },
    };
}
