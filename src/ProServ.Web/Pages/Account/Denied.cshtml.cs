namespace ProServ.Web.Pages.Account;

public sealed class DeniedModel : ProServPageModel
{
    public void OnGet()
    {
    }
}
