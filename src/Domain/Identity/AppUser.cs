using Microsoft.AspNetCore.Identity;

namespace WebApp.Domain.Identity;

public class AppUser : IdentityUser
{
    public string DisplayName { get; set; } = "";
}
