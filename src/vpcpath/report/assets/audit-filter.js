// Show only findings at or above a severity; the page works without this script.
(function(){
  var rank={critical:4,high:3,medium:2,low:1,info:0};
  document.querySelectorAll('.filters button').forEach(function(b){
    b.addEventListener('click',function(){
      var min=rank[b.dataset.min];
      document.querySelectorAll('[data-severity]').forEach(function(el){
        el.classList.toggle('hidden', rank[el.dataset.severity] < min);
      });
      document.getElementById('shown').textContent=
        document.querySelectorAll('details.finding:not(.hidden)').length;
    });
  });
})();
